using System.Globalization;
using System.Text.Json;

namespace TypedBert.Benchmarks;

/// <summary>A benchmark's figures in insertion order, with each target and, where missed, by how much and what bounds it.</summary>
internal sealed class BenchResult
{
    readonly Dictionary<string, object?> values = [];

    public object? this[string key]
    {
        get => values[key];
        set => values[key] = value is double d ? Math.Round(d, 4) + 0.0 : value; // + 0.0 turns -0 into 0
    }

    /// <summary>Records <c>KEY_target</c>, and <c>KEY_shortfall</c> when <paramref name="value"/> is below <paramref name="minimum"/>.</summary>
    public void AtLeast(string key, double value, double minimum, string bound) =>
        Target(key, $">= {Format(minimum)}", value >= minimum, $"{Format(value)} is {Format(minimum - value)} short of {Format(minimum)} ({(value / minimum).ToString("P0", CultureInfo.InvariantCulture)} of it); {bound}");

    /// <summary>Records <c>KEY_target</c>, and <c>KEY_shortfall</c> when <paramref name="value"/> is above <paramref name="maximum"/>.</summary>
    public void AtMost(string key, double value, double maximum, string bound) =>
        Target(key, $"<= {Format(maximum)}", value <= maximum, $"{Format(value)} exceeds {Format(maximum)} by {Format(value - maximum)}; {bound}");

    void Target(string key, string target, bool met, string shortfall)
    {
        values[key + "_target"] = target;
        values[key + "_met"] = met;
        if (!met) values[key + "_shortfall"] = shortfall;
    }

    static string Format(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);

    public void Write(string? path)
    {
        string json = JsonSerializer.Serialize(values, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Console.WriteLine(json);
        if (path is not null) File.WriteAllText(path, json + "\n");
    }
}
