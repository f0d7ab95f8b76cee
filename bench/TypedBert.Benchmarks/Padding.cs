using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Pretrained;
using static TorchSharp.torch;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>padding</c>: end-to-end prediction of sst2/test.tsv (tokenize, forward, probabilities) with <see cref="TextClassifier.PredictBatch"/>,
/// which sorts by length and pads each batch to its longest text, against every text padded to 512 tokens in input order.
/// </summary>
internal static class Padding
{
    public static BenchResult Run(BenchArguments args)
    {
        const int padded = 512, batchSize = 32;
        var rows = Sst2.Read(Sst2.Require("test"))!;
        var texts = rows.Select(r => r.Sentence).ToList();
        var result = new BenchResult();
        Machine.Describe(result);
        using var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        using var classifier = created.WithSettings(new PredictionSettings { BatchSize = batchSize });
        classifier.PredictBatch(texts.Take(64).ToList()); // warm-up

        var clock = Stopwatch.StartNew();
        var dynamic = classifier.PredictBatch(texts);
        double dynamicSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var labels = new List<int>();
        using (inference_mode())
        {
            foreach (var chunk in texts.Chunk(batchSize))
            {
                using var scope = NewDisposeScope();
                var ids = new long[chunk.Length * padded];
                var mask = new long[ids.Length];
                Array.Fill(ids, classifier.Tokenizer.PadTokenId);
                for (int row = 0; row < chunk.Length; row++)
                {
                    var encoded = classifier.Tokenizer.Encode(chunk[row], null, padded);
                    for (int i = 0; i < encoded.Length; i++) (ids[row * padded + i], mask[row * padded + i]) = (encoded.InputIds[i], 1);
                }
                var logits = classifier.Model.Forward(tensor(ids, [chunk.Length, padded]), tensor(mask, [chunk.Length, padded]), zeros(chunk.Length, padded, ScalarType.Int64));
                labels.AddRange(logits.softmax(-1).argmax(-1).data<long>().ToArray().Select(l => (int)l));
            }
        }
        double paddedSeconds = clock.Elapsed.TotalSeconds;

        result["texts"] = texts.Count;
        result["batch"] = batchSize;
        result["dynamic_seconds"] = dynamicSeconds;
        result["dynamic_seq_per_s"] = texts.Count / dynamicSeconds;
        result["padded_512_seconds"] = paddedSeconds;
        result["padded_512_seq_per_s"] = texts.Count / paddedSeconds;
        result["speedup"] = paddedSeconds / dynamicSeconds;
        result["same_labels"] = dynamic.Select(p => classifier.Labels.ToList().IndexOf(p.Label)).SequenceEqual(labels);
        result.AtLeast("speedup", paddedSeconds / dynamicSeconds, 5.0, "the forward pass dominates both");
        return result;
    }
}
