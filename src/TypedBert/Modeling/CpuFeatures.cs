namespace TypedBert.Modeling;

/// <summary>What the CPU offers for bf16 matmuls, read from the kernel's <c>/proc/cpuinfo</c> flags (Linux; elsewhere nothing is detected).</summary>
internal static class CpuFeatures
{
    static readonly Lazy<IReadOnlySet<string>> Flags = new(ReadFlags);

    /// <summary>
    /// True when the CPU multiplies bf16 matrices in hardware: AMX (<c>amx_bf16</c>, Sapphire Rapids and later) or AVX512-BF16
    /// (<c>avx512_bf16</c>, Cooper Lake, Zen 4). Without either, libtorch emulates bf16 and it runs slower than fp32.
    /// False when <see cref="HideBFloat16Variable"/> is 1, so that the choices made for a CPU without one can be measured here.
    /// </summary>
    public static bool HasBFloat16Matmul => !BFloat16Hidden && HasBFloat16MatmulIn(Flags.Value);

    /// <summary>The environment variable that hides the bf16 unit: <c>TYPEDBERT_HIDE_BF16=1</c>.</summary>
    public const string HideBFloat16Variable = "TYPEDBERT_HIDE_BF16";

    /// <summary>Whether <see cref="HideBFloat16Variable"/> hides the bf16 unit (read on every call, so a benchmark can switch it).</summary>
    public static bool BFloat16Hidden => Environment.GetEnvironmentVariable(HideBFloat16Variable) == "1";

    /// <summary>Whether <paramref name="flags"/> (the words of a cpuinfo <c>flags</c> line) include a bf16 matmul unit.</summary>
    public static bool HasBFloat16MatmulIn(IReadOnlySet<string> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        return flags.Contains("amx_bf16") || flags.Contains("avx512_bf16");
    }

    /// <summary>The flags of the first processor in the text of a <c>/proc/cpuinfo</c> file; empty when it has none.</summary>
    public static IReadOnlySet<string> ParseFlags(string cpuinfo)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        foreach (var line in cpuinfo.Split('\n'))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || line[..colon].Trim() != "flags") continue;
            return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        }
        return new HashSet<string>();
    }

    static IReadOnlySet<string> ReadFlags()
    {
        const string path = "/proc/cpuinfo";
        try
        {
            return File.Exists(path) ? ParseFlags(File.ReadAllText(path)) : new HashSet<string>();
        }
        catch (IOException)
        {
            return new HashSet<string>(); // unreadable (a sandbox): detect nothing, which keeps fp32
        }
        catch (UnauthorizedAccessException)
        {
            return new HashSet<string>();
        }
    }
}
