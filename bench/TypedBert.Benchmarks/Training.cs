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
/// 6 x (encoder matmul weights) x tokens/s over the fp32 matmul peak measured in the same run.
/// </summary>
internal static class Training
{
    public static BenchResult Run(BenchArguments args)
    {
        int count = args.Int("--examples", 128), batch = args.Int("--batch", 16), length = args.Int("--length", 128);
        var result = new BenchResult();
        Machine.Describe(result);
        var examples = LongExamples(count, length);
        var (fp32, fp32Params) = Throughput(examples, batch, length, bf16: false);
        var (bf16, _) = Throughput(examples, batch, length, bf16: true);
        double peak = MatmulPeak.Gflops(), bf16Peak = MatmulPeak.Gflops(ScalarType.BFloat16);
        double Mfu(double examplesPerSecond) => 6.0 * fp32Params * examplesPerSecond * length / 1e9 / peak;

        result["examples"] = count;
        result["batch"] = batch;
        result["sequence_length"] = length;
        result["encoder_matmul_parameters"] = fp32Params;
        result["fp32_examples_per_s"] = fp32;
        result["fp32_tokens_per_s"] = fp32 * length;
        result["bf16_examples_per_s"] = bf16;
        result["bf16_tokens_per_s"] = bf16 * length;
        result["bf16_speedup"] = bf16 / fp32;
        result["matmul_peak_gflops"] = peak;
        result["bf16_matmul_peak_gflops"] = bf16Peak;
        result["achieved_gflops"] = 6.0 * fp32Params * fp32 * length / 1e9;
        result["mfu"] = Mfu(fp32);
        result["bf16_mfu"] = Mfu(bf16);
        result.AtLeast("mfu", Mfu(fp32), 0.45,
            "6 x params counts only the layers' matmuls; the attention products, LayerNorm, GELU, dropout masks, gradient clipping and "
            + "the AdamW update of every parameter (the 11.7 M-weight word embeddings included) take time outside that count");
        result.AtLeast("bf16_speedup", bf16 / fp32, 2.0, Machine.Bf16Bound(peak, bf16Peak));
        return result;
    }

    /// <summary>Examples/s of one epoch over <paramref name="examples"/>, after a one-step warm-up, and the encoder's matmul weight count.</summary>
    static (double ExamplesPerSecond, long MatmulParameters) Throughput(List<TrainingExample> examples, int batch, int length, bool bf16)
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = batch, MaxLength = length, LearningRate = 2e-5, LoadBestModelAtEnd = false, BFloat16MixedPrecision = bf16,
        };
        new Trainer(classifier, options).Train(examples.Take(batch).ToList()); // warm-up: allocator, oneDNN kernels
        var run = new Trainer(classifier, options).Train(examples);
        // The per-token matmuls of the transformer layers; the pooler and the head run once per sequence.
        long matmulParameters = ((nn.Module)classifier.Model.Encoder).named_modules()
            .Where(m => m.name.StartsWith("encoder.", StringComparison.Ordinal) && m.module is Linear)
            .Sum(m => ((Linear)m.module).weight!.numel());
        return (run.ExamplesPerSecond, matmulParameters);
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
