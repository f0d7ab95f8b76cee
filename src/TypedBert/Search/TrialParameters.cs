using System.Collections;
using System.Globalization;

namespace TypedBert.Search;

/// <summary>The values one trial tries, by dimension name, in the space's order, with typed readers.</summary>
public sealed class TrialParameters : IReadOnlyDictionary<string, object>
{
    readonly List<KeyValuePair<string, object>> ordered;
    readonly Dictionary<string, object> byName;

    /// <summary>Holds <paramref name="values"/> (doubles, ints or strings) in the order given.</summary>
    public TrialParameters(IEnumerable<KeyValuePair<string, object>> values)
    {
        ordered = [.. values];
        byName = ordered.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>The value of <paramref name="name"/> as a real number.</summary>
    public double Double(string name) => Value(name) switch
    {
        double d => d,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        var other => throw new FormatException($"{name} = {other} is not a number"),
    };

    /// <summary>The value of <paramref name="name"/> as a whole number (a real number or a choice that is one).</summary>
    public int Int(string name) => Value(name) switch
    {
        int i => i,
        double d when d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue => (int)d,
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) => i,
        var other => throw new FormatException($"{name} takes whole numbers; {Format(other)} is not one"),
    };

    /// <summary>The value of <paramref name="name"/> as text.</summary>
    public string Text(string name) => Format(Value(name));

    /// <summary>The values as "name value" pairs, for messages and tables.</summary>
    public override string ToString() => string.Join(", ", ordered.Select(p => $"{p.Key} {Format(p.Value)}"));

    /// <summary>A value as the tables and messages write it: real numbers to 4 significant digits.</summary>
    public static string Format(object value) => value switch
    {
        double d => d.ToString(Math.Abs(d) is > 0 and < 1e-3 ? "0.###e0" : "0.####", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    object Value(string name) =>
        byName.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"the trial has no parameter {name} (it has {string.Join(", ", byName.Keys)})");

    /// <inheritdoc/>
    public object this[string key] => Value(key);
    /// <inheritdoc/>
    public IEnumerable<string> Keys => ordered.Select(p => p.Key);
    /// <inheritdoc/>
    public IEnumerable<object> Values => ordered.Select(p => p.Value);
    /// <inheritdoc/>
    public int Count => ordered.Count;
    /// <inheritdoc/>
    public bool ContainsKey(string key) => byName.ContainsKey(key);
    /// <inheritdoc/>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out object value) => byName.TryGetValue(key, out value);
    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ordered.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
