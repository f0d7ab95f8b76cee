using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Tokenization;
using FastTokenizer = FastBertTokenizer.BertTokenizer;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>tokenizer</c>: tokens/s of TypedBert's <see cref="BertTokenizer"/> against FastBertTokenizer on the same texts and vocab.txt,
/// one thread each, after checking that both give identical ids; and tokenization's share of end-to-end prediction time.
/// </summary>
internal static class Tokenizer
{
    public static BenchResult Run(BenchArguments args)
    {
        int rounds = args.Int("--rounds", 3);
        var result = new BenchResult();
        Machine.Describe(result);
        string folder = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        var ours = BertTokenizer.FromDirectory(folder);
        var reference = new FastTokenizer();
        using (var reader = new StreamReader(Path.Combine(folder, "vocab.txt"))) reference.LoadVocabulary(reader, convertInputToLowercase: true);

        var texts = Sst2.Read("train")?.Select(r => r.Sentence).ToList()
            ?? [.. Enumerable.Range(0, 20000).Select(i => $"Sentence {i}: the café's naïve plot (and its ending) wasn't unbelievable!")];
        int mismatches = texts.Count(t => !ours.Encode(t, maxLength: 100_000).InputIds.Select(i => (long)i)
            .SequenceEqual(reference.Encode(t, maximumTokens: 100_000).InputIds.ToArray()));
        if (mismatches > 0) throw new InvalidOperationException($"{mismatches} of {texts.Count} texts get different ids from the two tokenizers; the speeds would not be comparable");
        long tokens = texts.Sum(t => (long)ours.Encode(t, maxLength: 100_000).Length);

        double Best(Action<string> encode)
        {
            double best = double.MaxValue;
            for (int round = -1; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                foreach (var text in texts) encode(text);
                if (round >= 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            return best;
        }
        double oursSeconds = Best(t => ours.Encode(t, maxLength: 100_000));
        double referenceSeconds = Best(t => reference.Encode(t, maximumTokens: 100_000));
        result["texts"] = texts.Count;
        result["tokens"] = tokens;
        result["identical_ids"] = true;
        result["typedbert_tokens_per_s"] = tokens / oursSeconds;
        result["fastberttokenizer_tokens_per_s"] = tokens / referenceSeconds;
        result["ratio_vs_fastberttokenizer"] = referenceSeconds / oursSeconds;
        ShareOfPrediction(result);
        return result;
    }

    /// <summary>Encoding time of sst2/test.tsv over the time of predicting it with <see cref="TextClassifier.PredictBatch"/>, which includes it.</summary>
    static void ShareOfPrediction(BenchResult result)
    {
        var rows = Sst2.Read("test");
        var texts = rows?.Select(r => r.Sentence).ToList()
            ?? [.. Enumerable.Range(0, 872).Select(i => $"review {i}: an uneven but often affecting film , with a fine cast .")];
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        classifier.PredictBatch(texts.Take(64).ToList()); // warm-up
        double predict = double.MaxValue, encode = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            classifier.PredictBatch(texts);
            predict = Math.Min(predict, clock.Elapsed.TotalSeconds);
            clock.Restart();
            foreach (var text in texts) classifier.Tokenizer.Encode(text, null, classifier.MaxLength);
            encode = Math.Min(encode, clock.Elapsed.TotalSeconds);
        }
        result["prediction_texts"] = texts.Count;
        result["prediction_seconds"] = predict;
        result["tokenization_seconds"] = encode;
        result["tokenization_share_of_prediction"] = encode / predict;
        result.AtMost("tokenization_share_of_prediction", encode / predict, 0.05,
            "tokenization runs on one thread before the batched forward passes");
    }
}
