using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>accuracy</c>: a small SST-2 fine-tuning (the first N training rows, one epoch, short maximum length), then the sst2/test.tsv
/// accuracy of that model with fp32 and with bf16 inference; and the same fine-tuning in bf16 mixed precision, scored in fp32.
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

        double Score(TextClassifier classifier, InferencePrecision precision)
        {
            classifier.Precision = precision;
            return Evaluation.Run(classifier, test, length).Classification!.Accuracy * 100;
        }

        using (var fp32 = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]))
        {
            var run = new Trainer(fp32, options).Train(train);
            result["fp32_training_examples_per_s"] = run.ExamplesPerSecond;
            double f = Score(fp32, InferencePrecision.Float32), b = Score(fp32, InferencePrecision.BFloat16);
            result["fp32_accuracy"] = f;
            result["bf16_inference_accuracy"] = b;
            result["bf16_inference_delta_points"] = b - f;
            result.AtMost("bf16_inference_abs_delta_points", Math.Abs(b - f), 0.3, "bf16 keeps 8 bits of mantissa in the Linear layers");
        }
        using (var mixed = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]))
        {
            var run = new Trainer(mixed, options with { BFloat16MixedPrecision = true }).Train(train);
            result["bf16_training_examples_per_s"] = run.ExamplesPerSecond;
            double f = Score(mixed, InferencePrecision.Float32);
            result["bf16_trained_accuracy"] = f;
            double delta = f - (double)result["fp32_accuracy"]!;
            result["bf16_training_delta_points"] = delta;
            result.AtMost("bf16_training_abs_delta_points", Math.Abs(delta), 0.5, "bf16 rounding of the matmuls changes the optimisation path");
        }
        return result;
    }
}
