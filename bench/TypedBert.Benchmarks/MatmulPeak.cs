using System.Diagnostics;
using static TorchSharp.torch;

namespace TypedBert.Benchmarks;

/// <summary>libtorch's matmul throughput on this machine and thread count: the best of several 2048³ products.</summary>
internal static class MatmulPeak
{
    /// <summary><c>matmul</c>: the peaks alone, to see what a BLAS setting (an MKL environment variable, a thread count) changes.</summary>
    public static BenchResult Run(BenchArguments args)
    {
        int size = args.Int("--size", 2048);
        var result = new BenchResult();
        Machine.Describe(result);
        result["size"] = size;
        result["matmul_peak_gflops"] = Gflops(ScalarType.Float32, size);
        result["bf16_matmul_peak_gflops"] = Gflops(ScalarType.BFloat16, size);
        return result;
    }

    public static double Gflops(ScalarType dtype = ScalarType.Float32, int size = 2048, int tries = 6)
    {
        using var a = randn(size, size).to(dtype);
        using var b = randn(size, size).to(dtype);
        double best = double.MaxValue;
        using var inference = inference_mode();
        for (int i = 0; i < tries; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var product = a.matmul(b)) { }
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / best / 1e9;
    }
}
