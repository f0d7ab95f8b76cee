using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TypedBert.Classification;
using TypedBert.Onnx;
using TypedBert.Pretrained;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>onnx-profile</c>: where the time of TypedBert's exported graphs goes, by operator type, from ONNX Runtime's own profiler:
/// a MiniLM classifier exported as fp32 and as int8, a fixed batch of random ids run a few times.
/// </summary>
internal static class OnnxProfile
{
    public static BenchResult Run(BenchArguments args)
    {
        int batch = args.Int("--batch", 32), length = args.Int("--length", 128), rounds = args.Int("--rounds", 3);
        var result = new BenchResult();
        Machine.Describe(result);
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        var random = new Random(1);
        var ids = new long[batch * length];
        for (int i = 0; i < ids.Length; i++) ids[i] = i % length == 0 ? 101 : i % length == length - 1 ? 102 : random.Next(1000, 30000);
        var mask = Enumerable.Repeat(1L, ids.Length).ToArray();
        var operators = Enum.Parse<OnnxOperators>(args.Option("--operators") ?? nameof(OnnxOperators.OnnxRuntime), ignoreCase: true);
        result["operators"] = operators.ToString();
        var only = args.Option("--quantization") is string named ? Enum.Parse<OnnxQuantization>(named, ignoreCase: true) : (OnnxQuantization?)null;
        foreach (var quantization in Enum.GetValues<OnnxQuantization>().Where(q => only is null || q == only))
        {
            string prefix = Path.Combine(Path.GetTempPath(), $"typedbert-profile-{quantization}");
            var options = new SessionOptions { IntraOpNumThreads = TorchSharp.torch.get_num_threads(), InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            options.EnableProfiling = true;
            options.ProfileOutputPathPrefix = prefix;
            var exportOptions = new OnnxExportOptions
            {
                Quantization = quantization, Operators = operators,
                CalibrationTexts = CalibrationTexts.Sst2Train(),
                QuantizeAttentionProducts = args.Option("--static-attention") != "float",
            };
            using var session = new InferenceSession(OnnxExport.ToBytes(classifier, exportOptions), options);
            int[] shape = [batch, length];
            var feeds = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
                NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[ids.Length], shape)),
            };
            // One run more than asked: the first allocates the arena and packs weights, and its events are left out below.
            for (int i = 0; i <= rounds; i++) using (session.Run(feeds)) { }
            string file = session.EndProfiling();
            using var trace = JsonDocument.Parse(File.ReadAllText(file));
            var events = trace.RootElement.EnumerateArray().ToList();
            double warmupEnd = events.Where(e => e.GetProperty("name").GetString() == "model_run")
                .Select(e => e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble()).Min();
            var byOp = events
                .Where(e => e.GetProperty("cat").GetString() == "Node" && e.GetProperty("ts").GetDouble() > warmupEnd
                    && e.GetProperty("name").GetString()!.EndsWith("_kernel_time", StringComparison.Ordinal))
                .GroupBy(e => e.GetProperty("args").GetProperty("op_name").GetString()!)
                .Select(g => (Op: g.Key, Ms: g.Sum(e => e.GetProperty("dur").GetDouble()) / 1000.0 / rounds))
                .OrderByDescending(x => x.Ms).ToList();
            double total = byOp.Sum(x => x.Ms);
            result[$"{quantization}_total_ms"] = total;
            foreach (var (op, ms) in byOp) result[$"{quantization}_{op}_ms"] = ms;
            File.Delete(file);
        }
        return result;
    }
}
