using System.Globalization;

namespace TypedBert.Benchmarks;

/// <summary>The subcommand and its <c>--name value</c> options.</summary>
internal sealed class BenchArguments(string[] args)
{
    public string Command { get; } = args.Length > 0 ? args[0] : "";

    public string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    public int Int(string name, int fallback)
    {
        string? value = Option(name);
        if (value is null) return fallback;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0
            ? parsed : throw new ArgumentException($"{name} takes a positive whole number, not \"{value}\"");
    }
}
