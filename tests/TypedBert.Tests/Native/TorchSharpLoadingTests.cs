using TorchSharp;
using TypedBert.Build;
using static TorchSharp.torch;

namespace TypedBert.Tests.Native;

public class TorchSharpLoadingTests
{
    [Fact]
    public void TorchSharp_initialises_and_trains_a_linear_layer()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var layer = nn.Linear(4, 1);
        var optimizer = optim.AdamW(layer.parameters(), lr: 0.1);
        var x = randn(16, 4);
        var y = x.sum(1, keepdim: true);
        double first = 0, last = 0;
        for (int step = 0; step < 50; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(layer.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first / 10, $"loss went from {first} to {last}");
        optimizer.Dispose();
    }

    [SkippableFact]
    public void Output_copy_of_LibTorchSharp_is_patched_exactly_when_the_system_libstdcxx_needs_it()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists(output), "not a Linux x64 build of the tests");
        string libStdCxx = ElfSymbolVersions.FindSystemLibStdCxx() ?? throw new InvalidOperationException("no libstdc++.so.6 on this Linux system");
        bool systemHasVersion = ElfSymbolVersions.ReadDefinedVersions(File.ReadAllBytes(libStdCxx)).Contains(ElfSymbolVersions.TorchSharpRequiredVersion);

        var requirement = ElfSymbolVersions.ReadRequiredVersions(File.ReadAllBytes(output))
            .Single(r => r.Key == ElfSymbolVersions.TorchSharpRequiredVersion);
        Assert.Equal(!systemHasVersion, requirement.Value);
    }

    /// <summary>The copy of libLibTorchSharp.so in the NuGet global packages folder (skips the test where there is none).</summary>
    static string CachedLibTorchSharp()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(File.Exists(cached), $"{cached} not present");
        return cached;
    }

    [SkippableFact]
    public void The_NuGet_cache_copy_is_left_untouched()
    {
        string cached = CachedLibTorchSharp();
        var requirement = ElfSymbolVersions.ReadRequiredVersions(File.ReadAllBytes(cached))
            .Single(r => r.Key == ElfSymbolVersions.TorchSharpRequiredVersion);
        Assert.False(requirement.Value, "the NuGet cache copy must keep its original, strong requirement");
    }

    [SkippableFact]
    public void Patching_marks_only_the_named_requirement_weak_and_is_idempotent()
    {
        string cached = CachedLibTorchSharp();
        byte[] bytes = File.ReadAllBytes(cached);
        var before = ElfSymbolVersions.ReadRequiredVersions(bytes);

        Assert.Equal(1, ElfSymbolVersions.MakeRequirementWeak(bytes, ElfSymbolVersions.TorchSharpRequiredVersion));
        Assert.Equal(0, ElfSymbolVersions.MakeRequirementWeak(bytes, ElfSymbolVersions.TorchSharpRequiredVersion));

        var after = ElfSymbolVersions.ReadRequiredVersions(bytes);
        Assert.Equal(before.Select(r => r.Key), after.Select(r => r.Key));
        for (int i = 0; i < after.Count; i++)
            Assert.Equal(after[i].Key == ElfSymbolVersions.TorchSharpRequiredVersion || before[i].Value, after[i].Value);
        Assert.Equal(1, bytes.Zip(File.ReadAllBytes(cached)).Count(pair => pair.First != pair.Second)); // the low byte of one vna_flags
    }

    [Fact]
    public void Non_ELF_input_is_rejected_with_a_clear_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.ReadRequiredVersions(new byte[100]));
        Assert.Contains("not an ELF file", error.Message);
    }
}
