using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>accuracy</c>: a small SST-2 fine-tuning (the first N training rows, one epoch, short maximum length), then the sst2/test.tsv
/// accuracy of that model with fp32 and with bf16 inference, and with ONNX Runtime on its fp32 and int8 graphs; and the same
/// fine-tuning in bf16 mixed precision, scored in fp32.
/// </summary>
internal static class Accuracy
{
    public static BenchResult Run(BenchArguments args)
    {
        int trainRows = args.Int("--train-rows", 2000), length = args.Int("--length", 64);
        var train = Sst2.Read(Sst2.Require("train"))!.Take(trainRows).Select(r => TrainingExample.ForLabel(r.Sentence, r.Label)).ToList();
        var test = Sst2.Read("test")!.Select(r => TrainingExample.ForLabel(r.Sentence, r.Label)).ToList();
        var result = new BenchResult();
        Machine.Describe(result);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = 32, MaxLength = length, LearningRate = 1e-4, WarmupRatio = 0.1, LoadBestModelAtEnd = false, GroupByLength = true,
        };
        result["train_rows"] = train.Count;
        result["test_rows"] = test.Count;
        result["max_length"] = length;
        result["setup"] = "minilm-l6-uncased, Pooler head, 1 epoch, batch 32, lr 1e-4, 10 % warm-up, seed 42, group by length";

        var texts = test.Select(e => e.Text).ToList();
        var logits = new Dictionary<string, float[][]>();
        int[] Predict(TextClassifier classifier, InferencePrecision precision, string name, InferenceEngine engine = InferenceEngine.Torch)
        {
            using var configured = classifier.WithSettings(classifier.Settings with { Precision = precision, Engine = engine, MaxLength = length });
            var predictions = configured.PredictBatch(texts);
            logits[name] = [.. predictions.Select(p => p.Logits)];
            return [.. predictions.Select(p => p.LabelId)];
        }
        double MaxDifference(string a, string b) => logits[a].Zip(logits[b], (x, y) => x.Zip(y, (u, v) => Math.Abs(u - v)).Max()).Max();
        double Score(int[] predicted) => predicted.Where((label, i) => label == test[i].LabelId).Count() * 100.0 / test.Count;
        static int Changed(int[] a, int[] b) => a.Where((label, i) => label != b[i]).Count();
        int[] fp32Labels;

        using (var fp32 = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]))
        {
            var run = new Trainer(fp32, options).Train(train);
            result["fp32_training_examples_per_s"] = run.ExamplesPerSecond;
            fp32Labels = Predict(fp32, InferencePrecision.Float32, "fp32");
            var bf16Labels = Predict(fp32, InferencePrecision.BFloat16, "bf16 inference");
            double f = Score(fp32Labels), b = Score(bf16Labels);
            result["fp32_accuracy"] = f;
            result["bf16_inference_changed_predictions"] = Changed(fp32Labels, bf16Labels);
            result["bf16_inference_max_logit_difference"] = MaxDifference("fp32", "bf16 inference");
            result["bf16_inference_accuracy"] = b;
            result["bf16_inference_delta_points"] = b - f;
            result.AtMost("bf16_inference_abs_delta_points", Math.Abs(b - f), 0.3, "bf16 keeps 8 bits of mantissa in the Linear layers");

            var onnxLabels = Predict(fp32, InferencePrecision.Float32, "onnxruntime", InferenceEngine.OnnxRuntime);
            result["onnxruntime_changed_predictions"] = Changed(fp32Labels, onnxLabels);
            result["onnxruntime_max_logit_difference"] = MaxDifference("fp32", "onnxruntime");
            var int8Labels = Predict(fp32, InferencePrecision.Float32, "int8", InferenceEngine.OnnxRuntimeInt8);
            double q = Score(int8Labels);
            result["int8_accuracy"] = q;
            result["int8_changed_predictions"] = Changed(fp32Labels, int8Labels);
            result["int8_max_logit_difference"] = MaxDifference("fp32", "int8");
            result["int8_accuracy_delta_points"] = q - f;
            result.AtMost("int8_abs_delta_points", Math.Abs(q - f), 0.5, "dynamic int8 quantization rounds every Linear input and weight to 8 bits");

            // Static int8: calibrated on training rows after those the model was fine-tuned on, the method chosen on a dev slice.
            var calibration = Sst2.Read("train")!.Skip(trainRows).Take(256).Select(r => r.Sentence).ToList();
            // Dev rows shaped like the test split (sentences; sst2/dev is mostly short phrases, as train is).
            var dev = Sst2.Read("dev")!.Where(r => r.Sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 8).Take(args.Int("--dev-rows", 872)).ToList();
            StaticInt8Accuracy.Measure(result, "", fp32, calibration, dev, [.. test.Select(e => (e.Text, e.LabelId))], fp32Labels, length);
        }
        if (args.Option("--agnews") != "false") AgNews(result, args, options);
        if (args.Option("--bf16-training") == "false") return result;
        using (var mixed = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]))
        {
            var run = new Trainer(mixed, options with { BFloat16MixedPrecision = true }).Train(train);
            result["bf16_training_examples_per_s"] = run.ExamplesPerSecond;
            var mixedLabels = Predict(mixed, InferencePrecision.Float32, "bf16 training");
            double f = Score(mixedLabels);
            result["bf16_trained_accuracy"] = f;
            result["bf16_trained_changed_predictions"] = Changed(fp32Labels, mixedLabels);
            result["bf16_trained_max_logit_difference"] = MaxDifference("fp32", "bf16 training");
            double delta = f - Score(fp32Labels);
            result["bf16_training_delta_points"] = delta;
            result.AtMost("bf16_training_abs_delta_points", Math.Abs(delta), 0.5, "bf16 rounding of the matmuls changes the optimisation path");
        }
        return result;
    }

    /// <summary>
    /// AG News: minilm fine-tuned on the first N rows of agnews/train.tsv as SST-2 is, then static int8 against fp32 on the first
    /// M rows of agnews/test.tsv (rows 9,000 on of train serve as the dev slice, the 256 rows after the training ones calibrate).
    /// </summary>
    static void AgNews(BenchResult result, BenchArguments args, TrainingOptions options)
    {
        string[] labels = ["World", "Sports", "Business", "Sci/Tech"];
        string folder = Path.Combine(Sst2.Folder!, "..", "agnews");
        var all = FewShot.ReadLabelled(Path.Combine(folder, "train.tsv"), labels);
        int trainRows = args.Int("--agnews-train-rows", 2000), testRows = args.Int("--agnews-test-rows", 1000);
        var train = all.Take(trainRows).Select(r => TrainingExample.ForLabel(r.Text, r.Label)).ToList();
        var test = FewShot.ReadLabelled(Path.Combine(folder, "test.tsv"), labels).Take(testRows).ToList();
        var dev = all.Skip(9000).Take(args.Int("--dev-rows", 872)).ToList();
        var calibration = all.Skip(trainRows).Take(256).Select(r => r.Text).ToList();
        result["agnews_train_rows"] = train.Count;
        result["agnews_test_rows"] = test.Count;
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels);
        new Trainer(classifier, options).Train(train);
        int maxLength = options.MaxLength ?? 64;
        using var fp32 = classifier.WithSettings(classifier.Settings with { Precision = InferencePrecision.Float32, Engine = InferenceEngine.Torch, MaxLength = maxLength });
        int[] fp32Labels = [.. fp32.PredictBatch([.. test.Select(r => r.Text)]).Select(p => p.LabelId)];
        result["agnews_fp32_accuracy"] = fp32Labels.Where((label, i) => label == test[i].Label).Count() * 100.0 / test.Count;
        StaticInt8Accuracy.Measure(result, "agnews_", classifier, calibration, dev, test, fp32Labels, maxLength);
    }
}
