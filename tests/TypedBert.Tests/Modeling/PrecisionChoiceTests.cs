using TypedBert.Classification;
using TypedBert.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace TypedBert.Tests.Modeling;

public sealed class PrecisionChoiceTests
{
    const string SapphireRapids = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\nflags\t\t: fpu avx512f avx512_bf16 amx_bf16 amx_tile amx_int8\n\nprocessor\t: 1\n";
    const string CascadeLake = "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f avx512bw avx512_vnni\n";
    const string Zen4 = "flags\t\t: fpu avx512f avx512_bf16\n";

    [Theory]
    [InlineData(SapphireRapids, true)]
    [InlineData(Zen4, true)]
    [InlineData(CascadeLake, false)]
    [InlineData("processor\t: 0\nmodel name\t: ARM\n", false)]
    [InlineData("", false)]
    public void A_bf16_matmul_unit_is_AMX_or_AVX512_BF16(string cpuinfo, bool expected) =>
        Assert.Equal(expected, CpuFeatures.HasBFloat16MatmulIn(CpuFeatures.ParseFlags(cpuinfo)));

    [Fact]
    public void The_flags_are_whole_words_of_the_flags_line()
    {
        var flags = CpuFeatures.ParseFlags(SapphireRapids);
        Assert.Contains("amx_tile", flags);
        Assert.DoesNotContain("amx", flags);
        Assert.DoesNotContain("Intel(R)", flags);
    }

    [Theory]
    [InlineData(InferencePrecision.Auto, true, InferencePrecision.BFloat16)]
    [InlineData(InferencePrecision.Auto, false, InferencePrecision.Float32)]
    [InlineData(InferencePrecision.Float32, true, InferencePrecision.Float32)]
    [InlineData(InferencePrecision.BFloat16, false, InferencePrecision.BFloat16)]
    public void Auto_picks_bf16_only_on_a_cpu_with_a_bf16_matmul_unit(InferencePrecision requested, bool unit, InferencePrecision expected) =>
        Assert.Equal(expected, TextClassifier.Resolve(requested, CPU, unit));

    [Fact]
    public void Auto_keeps_fp32_off_the_cpu() =>
        Assert.Equal(InferencePrecision.Float32, TextClassifier.Resolve(InferencePrecision.Auto, new Device(DeviceType.CUDA, 0), cpuHasBFloat16Matmul: true));

    [Fact]
    public void This_machine_resolves_auto_as_its_flags_say() =>
        Assert.Equal(CpuFeatures.HasBFloat16Matmul ? InferencePrecision.BFloat16 : InferencePrecision.Float32,
            TextClassifier.Resolve(InferencePrecision.Auto, CPU, CpuFeatures.HasBFloat16Matmul));
}
