using Google.Protobuf;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Onnx;
using TypedBert.Pretrained;
using TypedBert.Tokenization;
using TypedBert.Training;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>static-int8-study</c>: where static int8 loses accuracy, measured on SST-2 dev (never test). The model of <c>bench accuracy</c>
/// (fine-tuned once and kept in <c>--model DIR</c>), its fp32 graph's labels and logits on dev sentences as the reference, then
/// static int8 graphs that differ in one thing each: the calibration (min-max, percentiles, the calibration set), or which
/// activations stay float (one kind at a time across all layers, one layer at a time). Each variant reports the dev predictions
/// that change against fp32 and the mean absolute change of the logit margin, a finer measure than the changed labels.
/// </summary>
internal static class StaticInt8Study
{
    /// <summary>The kinds of activation a BERT layer's static graph quantizes: the suffix of each key.</summary>
    static readonly string[] Kinds =
    [
        "attention.self.query+key+value:input", "attention.self.query:query", "attention.self.query:key", "attention.self.query:probabilities",
        "attention.self.query:value", "attention.output.dense:input", "intermediate.dense:input", "output.dense:input",
    ];

    public static BenchResult Run(BenchArguments args)
    {
        var result = new BenchResult();
        Machine.Describe(result);
        int length = args.Int("--length", 64), trainRows = args.Int("--train-rows", 2000);
        using var classifier = Model(args.Option("--model") ?? Path.Combine(Path.GetTempPath(), "typedbert-sst2-2000"), trainRows, length);
        int minWords = args.Int("--dev-min-words", 8);
        // Dev rows shaped like the test sentences (SST-2's dev and train are mostly short phrases; its test split is sentences).
        var dev = Sst2.Read("dev")!.Where(r => Words(r.Sentence) >= minWords).Take(args.Int("--dev-rows", 872)).ToList();
        var rest = Sst2.Read("train")!.Skip(trainRows).ToList();
        int calibrationRows = args.Int("--calibration-rows", 256);
        var calibrationSets = new Dictionary<string, IReadOnlyList<string>>
        {
            ["train-next"] = [.. rest.Take(calibrationRows).Select(r => r.Sentence)],
            ["train-sentences"] = [.. rest.Where(r => Words(r.Sentence) >= minWords).Take(calibrationRows).Select(r => r.Sentence)],
        };
        result["dev_rows"] = dev.Count;
        result["dev_mean_words"] = dev.Average(r => Words(r.Sentence));
        var encoded = dev.Select((r, i) => (Index: i, Item: classifier.Tokenizer.Encode(r.Sentence, null, length))).OrderBy(e => e.Item.Length).ToList();
        float[][] Logits(byte[] graph)
        {
            using var session = new OnnxRuntimeClassifier(graph, threads: 1);
            var logits = new float[dev.Count][];
            foreach (var chunk in encoded.Chunk(32))
            {
                var rows = session.Run(new BatchEncoding([.. chunk.Select(c => c.Item)], classifier.Tokenizer.PadTokenId));
                for (int i = 0; i < chunk.Length; i++) logits[chunk[i].Index] = rows[i];
            }
            return logits;
        }
        static int Label(float[] logits) => Array.IndexOf(logits, logits.Max());
        var fp32 = Logits(OnnxExport.ToBytes(classifier, new OnnxExportOptions()));
        double Accuracy(float[][] logits) => logits.Where((l, i) => Label(l) == dev[i].Label).Count() * 100.0 / dev.Count;
        result["fp32_dev_accuracy"] = Accuracy(fp32);
        void Score(string name, byte[] graph)
        {
            var logits = Logits(graph);
            result[name + "_changed"] = logits.Where((l, i) => Label(l) != Label(fp32[i])).Count();
            result[name + "_margin_error"] = logits.Select((l, i) => Math.Abs((l[1] - l[0]) - (fp32[i][1] - fp32[i][0]))).Average();
            result[name + "_dev_accuracy"] = Accuracy(logits);
            Console.Error.WriteLine($"{name}: changed {result[name + "_changed"]}, margin error {result[name + "_margin_error"]:0.0000}, accuracy {result[name + "_dev_accuracy"]:0.00}");
        }
        Score("int8_dynamic", OnnxExport.ToBytes(classifier, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 }));

        string[] only = args.Option("--parts")?.Split(',') ?? ["calibration", "kinds", "layers"];
        var baseOptions = new OnnxExportOptions { Quantization = OnnxQuantization.Int8Static, CalibrationTexts = calibrationSets["train-next"] };
        byte[] Static(OnnxExportOptions options, IReadOnlyDictionary<string, ActivationRange> ranges) =>
            ClassifierGraphWriter.WriteStatic(classifier.Model, options, StaticQuantizer.WithRanges(ranges, options.FloatActivations)).ToByteArray();
        var percentiles = (args.Option("--percentiles") ?? "1,0.99999,0.9999,0.999").Split(',').Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (only.Contains("calibration"))
            foreach (var (set, texts) in calibrationSets)
                foreach (double p in percentiles)
                {
                    var options = baseOptions with { CalibrationTexts = texts, CalibrationPercentile = p };
                    Score($"static_{set}_p{p:0.#####}", Static(options, StaticCalibration.Measure(classifier, options, threads: 1)));
                }
        double percentile = double.Parse(args.Option("--percentile") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        var chosenOptions = baseOptions with { CalibrationTexts = calibrationSets[args.Option("--calibration-set") ?? "train-next"], CalibrationPercentile = percentile };
        var ranges = StaticCalibration.Measure(classifier, chosenOptions, threads: 1);
        if (only.Contains("ranges"))
            foreach (var (key, range) in ranges.OrderBy(r => r.Key, StringComparer.Ordinal))
                result[$"range_{key}"] = $"{range.Min:0.###} .. {range.Max:0.###}";
        if (only.Contains("kinds"))
            foreach (string kind in Kinds)
            {
                Score($"float_{kind}", Static(chosenOptions with { FloatActivations = name => name.EndsWith(kind, StringComparison.Ordinal) }, ranges));
                Score($"only_{kind}", Static(chosenOptions with { FloatActivations = name => !name.EndsWith(kind, StringComparison.Ordinal) }, ranges));
            }
        if (only.Contains("layers"))
            for (int layer = 0; layer < classifier.Model.Config.Encoder.NumHiddenLayers; layer++)
            {
                string prefix = $".layer.{layer}.";
                Score($"float_layer{layer}", Static(chosenOptions with { FloatActivations = name => name.Contains(prefix, StringComparison.Ordinal) }, ranges));
            }
        if (args.Option("--float") is string floats)
        {
            var suffixes = floats.Split(',');
            Score($"float_{floats}", Static(chosenOptions with { FloatActivations = name => suffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) }, ranges));
        }
        return result;
    }

    static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>The model of <c>bench accuracy</c> (same data, recipe and seed), fine-tuned once and then loaded from <paramref name="folder"/>.</summary>
    static TextClassifier Model(string folder, int trainRows, int length)
    {
        if (Directory.Exists(folder)) return TextClassifier.Load(folder);
        var train = Sst2.Read(Sst2.Require("train"))!.Take(trainRows).Select(r => TrainingExample.ForLabel(r.Sentence, r.Label)).ToList();
        var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        new Trainer(classifier, new TrainingOptions
        {
            Epochs = 1, BatchSize = 32, MaxLength = length, LearningRate = 1e-4, WarmupRatio = 0.1, LoadBestModelAtEnd = false, GroupByLength = true,
        }).Train(train);
        classifier.Save(folder);
        return classifier;
    }
}
