using System.Reflection;

namespace TypedBert.Hosting;

/// <summary>
/// The labels of a <c>[BertLabels]</c> enum read at run time, by the source generator's rules: members in value order,
/// named by <c>[Label]</c> or their own name, and for <c>[Flags]</c> every member but <c>None = 0</c>.
/// </summary>
internal static class EnumLabels<TEnum> where TEnum : struct, Enum
{
    static readonly (string Label, long Value)[] Members = Read();

    public static bool IsFlags { get; } = typeof(TEnum).IsDefined(typeof(FlagsAttribute), inherit: false);

    public static IReadOnlyList<string> Names { get; } = [.. Members.Select(m => m.Label)];

    /// <summary>The id of a label name (exact spelling), or -1.</summary>
    public static int IdOf(string label) => Array.FindIndex(Members, m => m.Label == label);

    /// <summary>The member whose label id is <paramref name="id"/>.</summary>
    public static TEnum FromId(int id) => (TEnum)Enum.ToObject(typeof(TEnum), Members[id].Value);

    /// <summary>A <c>[Flags]</c> value with the members of every id set.</summary>
    public static TEnum FromIds(IEnumerable<int> ids) =>
        (TEnum)Enum.ToObject(typeof(TEnum), ids.Aggregate(0L, (value, id) => value | Members[id].Value));

    static (string Label, long Value)[] Read()
    {
        var type = typeof(TEnum);
        if (!type.IsDefined(typeof(BertLabelsAttribute), inherit: false))
            throw new ArgumentException($"{type.FullName} has no [BertLabels] attribute; only [BertLabels] enums name a classifier's labels", nameof(TEnum));
        bool flags = type.IsDefined(typeof(FlagsAttribute), inherit: false);
        return [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (Label: f.GetCustomAttribute<LabelAttribute>()?.Name ?? f.Name, Value: Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)))
            .Where(m => !flags || m.Value != 0)
            .OrderBy(m => m.Value)];
    }
}
