using TypedBert.Modeling;

namespace TypedBert.Benchmarks;

/// <summary>What the figures depend on: the CPU, its bf16 support and the thread count.</summary>
internal static class Machine
{
    public static void Describe(BenchResult result)
    {
        result["cpu"] = CpuModel();
        result["cores"] = Environment.ProcessorCount;
        result["threads"] = TorchSharp.torch.get_num_threads();
        result["cpu_has_bf16_matmul"] = CpuFeatures.HasBFloat16Matmul;
        result["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Why bf16 cannot pay here, or empty where the CPU has a bf16 unit.</summary>
    public static string Bf16Bound(double fp32Peak, double bf16Peak) => CpuFeatures.HasBFloat16Matmul
        ? $"bf16 matmul runs at {bf16Peak:0} GFLOP/s against {fp32Peak:0} fp32"
        : $"this CPU has neither amx_bf16 nor avx512_bf16, so libtorch emulates bf16 matmuls: {bf16Peak:0} GFLOP/s against {fp32Peak:0} fp32";

    static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return "unknown";
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
