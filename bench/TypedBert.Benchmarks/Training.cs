using TorchSharp.Modules;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;
using static TorchSharp.torch;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>training</c>: fine-tuning throughput of the <see cref="Trainer"/> (forward, backward, clipping and AdamW; tokenization excluded)
/// in fp32 and in bf16 mixed precision, on examples that all fill the maximum length, and the model FLOPs utilisation:
/// model FLOPs per token x tokens/s over the fp32 matmul peak measured in the same run. Model FLOPs per token follow PaLM's
/// appendix B: 6 x (encoder matmul weights) for the projections, plus 12 x layers x sequence length x hidden size for the
/// attention products (QK^T and the weighted sum of V, forward and backward).
/// </summary>
internal static class Training
{
    public static BenchResult Run(BenchArguments args)
    {
        int count = args.Int("--examples", 128), batch = args.Int("--batch", 16), length = args.Int("--length", 128);
        var result = new BenchResult();
        Machine.Describe(result);
        var examples = LongExamples(count, length);
        var (fp32, shape, fp32Timings) = Throughput(examples, batch, length, bf16: false);
        var (bf16, _, bf16Timings) = Throughput(examples, batch, length, bf16: true);
        double peak = MatmulPeak.Gflops(), bf16Peak = MatmulPeak.Gflops(ScalarType.BFloat16);
        double projectionFlops = 6.0 * shape.MatmulParameters, attentionFlops = 12.0 * shape.Layers * length * shape.Hidden;
        double Gflops(double examplesPerSecond, double flopsPerToken) => flopsPerToken * examplesPerSecond * length / 1e9;
        double Mfu(double examplesPerSecond) => Gflops(examplesPerSecond, projectionFlops + attentionFlops) / peak;

        result["examples"] = count;
        result["batch"] = batch;
        result["sequence_length"] = length;
        result["encoder_matmul_parameters"] = shape.MatmulParameters;
        result["model_flops_per_token"] = projectionFlops + attentionFlops;
        result["attention_flops_per_token"] = attentionFlops;
        result["fp32_examples_per_s"] = fp32;
        result["fp32_tokens_per_s"] = fp32 * length;
        result["bf16_examples_per_s"] = bf16;
        result["bf16_tokens_per_s"] = bf16 * length;
        result["bf16_speedup"] = bf16 / fp32;
        result["matmul_peak_gflops"] = peak;
        result["bf16_matmul_peak_gflops"] = bf16Peak;
        result["achieved_gflops"] = Gflops(fp32, projectionFlops + attentionFlops);
        result["mfu"] = Mfu(fp32);
        result["mfu_projections_only"] = Gflops(fp32, projectionFlops) / peak;
        AddPhases(result, "fp32", fp32Timings);
        result["forward_training_mode_s"] = dropout.TrainModeSeconds;
        result["forward_evaluation_mode_s"] = dropout.EvalModeSeconds;
        result["dropout_share_of_forward"] = 1 - dropout.EvalModeSeconds / dropout.TrainModeSeconds;
        AddPhases(result, "bf16", bf16Timings);
        result["bf16_mfu"] = Mfu(bf16);
        string Share(TimeSpan phase) => (phase / fp32Timings.Total).ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
        result.AtLeast("mfu", Mfu(fp32), 0.45,
            $"the step spends {Share(fp32Timings.Forward)} in the forward pass, {(1 - dropout.EvalModeSeconds / dropout.TrainModeSeconds).ToString("P0", System.Globalization.CultureInfo.InvariantCulture)} "
            + $"of which goes to drawing and applying dropout masks (one random draw per attention probability and hidden activation), "
            + $"{Share(fp32Timings.Optimizer)} in AdamW over all parameters (the 11.7 M-weight word embeddings included) and "
            + $"{Share(fp32Timings.GradientClipping)} in clipping; LayerNorm, GELU and softmax add work outside the FLOP count");
        result.AtLeast("bf16_speedup", bf16 / fp32, 2.0, Machine.Bf16Bound(peak, bf16Peak));
        return result;
    }

    /// <summary>Seconds and share of the step's time of each phase: where the time outside the matmul count goes.</summary>
    static void AddPhases(BenchResult result, string prefix, StepTimings timings)
    {
        double total = timings.Total.TotalSeconds;
        foreach (var (phase, time) in new[] { ("forward", timings.Forward), ("backward", timings.Backward), ("clipping", timings.GradientClipping), ("optimizer", timings.Optimizer) })
        {
            result[$"{prefix}_{phase}_s"] = time.TotalSeconds;
            result[$"{prefix}_{phase}_share"] = time.TotalSeconds / total;
        }
    }

    static (double TrainModeSeconds, double EvalModeSeconds) dropout;

    /// <summary>
    /// The forward pass and loss of one batch, with autograd recording, in training mode (dropout on) and in evaluation mode
    /// (dropout off), best of 3 each, alternated: the difference is what drawing and applying the dropout masks costs.
    /// </summary>
    static (double TrainModeSeconds, double EvalModeSeconds) ForwardWithAndWithoutDropout(TextClassifier classifier, List<string> texts, int length)
    {
        var model = classifier.Model;
        double train = double.MaxValue, eval = double.MaxValue;
        for (int round = 0; round < 3; round++)
            foreach (bool training in new[] { true, false })
            {
                using var scope = NewDisposeScope();
                var inputs = classifier.Tokenizer.EncodeBatch(texts, maxLength: length).ToTensors(classifier.Device);
                using var targets = zeros(texts.Count, dtype: ScalarType.Int64);
                model.train(training);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                model.Loss(model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds), targets).item<float>();
                double seconds = watch.Elapsed.TotalSeconds;
                if (training) train = Math.Min(train, seconds); else eval = Math.Min(eval, seconds);
            }
        model.eval();
        return (train, eval);
    }

    /// <summary>Examples/s of one epoch over <paramref name="examples"/>, after a one-step warm-up, the encoder's matmul weight count, and the phases.</summary>
    static (double ExamplesPerSecond, (long MatmulParameters, int Layers, int Hidden) Shape, StepTimings Timings) Throughput(List<TrainingExample> examples, int batch, int length, bool bf16)
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = batch, MaxLength = length, LearningRate = 2e-5, LoadBestModelAtEnd = false, BFloat16MixedPrecision = bf16,
        };
        new Trainer(classifier, options).Train(examples.Take(batch).ToList()); // warm-up: allocator, oneDNN kernels
        var run = new Trainer(classifier, options).Train(examples);
        if (!bf16) dropout = ForwardWithAndWithoutDropout(classifier, examples.Take(batch).Select(e => e.Text).ToList(), length);
        // The per-token matmuls of the transformer layers; the pooler and the head run once per sequence.
        long matmulParameters = ((nn.Module)classifier.Model.Encoder).named_modules()
            .Where(m => m.name.StartsWith("encoder.", StringComparison.Ordinal) && m.module is Linear)
            .Sum(m => ((Linear)m.module).weight!.numel());
        var config = classifier.Model.Config.Encoder;
        return (run.ExamplesPerSecond, (matmulParameters, config.NumHiddenLayers, config.HiddenSize), run.Timings);
    }

    /// <summary>Texts long enough to be truncated to <paramref name="length"/> tokens: SST-2 sentences joined, or numbered words without the data.</summary>
    static List<TrainingExample> LongExamples(int count, int length)
    {
        var sentences = Sst2.Read("train")?.Select(r => r.Sentence).ToList()
            ?? [.. Enumerable.Range(0, 1000).Select(i => $"sentence number {i} says the film was good and the acting was fine")];
        var examples = new List<TrainingExample>();
        int next = 0;
        for (int i = 0; i < count; i++)
        {
            var words = new List<string>();
            while (words.Count < length * 2) words.AddRange(sentences[next++ % sentences.Count].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            examples.Add(TrainingExample.ForLabel(string.Join(' ', words), i % 2));
        }
        return examples;
    }
}
