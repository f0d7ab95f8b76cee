using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace TypedBert.Typed;

/// <summary>
/// The labels of a <c>[BertLabels]</c> enum as its generated code knows them, for code that holds only the enum type
/// (<c>BertClassifier&lt;TEnum&gt;</c> in dependency injection, the server): the generated <c>{Enum}Labels</c> as an object. Formerly <c>LabelMap&lt;TEnum&gt;</c>. The generator emits a module initializer that
/// registers each enum's labels when its assembly loads, so nothing here reads the enum by reflection.
/// </summary>
/// <typeparam name="TEnum">The <c>[BertLabels]</c> enum.</typeparam>
public sealed class EnumLabels<TEnum> where TEnum : struct, Enum
{
    static EnumLabels<TEnum>? registered;

    readonly string[] names;
    readonly Func<int, TEnum> fromId;
    readonly Func<IEnumerable<int>, TEnum>? fromIds;
    readonly Dictionary<TEnum, int> idOf = [];

    /// <summary>Called by generated code; see <see cref="Get"/>.</summary>
    /// <param name="names">Label names in id order.</param>
    /// <param name="isFlags">Whether the enum is a <c>[Flags]</c> multi-label set.</param>
    /// <param name="fromId">The member of a label id.</param>
    /// <param name="fromIds">For <c>[Flags]</c> enums, the value with the members of every id set.</param>
    /// <param name="modelPath">The enum's <c>[BertLabels(ModelPath = ...)]</c>, if any.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public EnumLabels(string[] names, bool isFlags, Func<int, TEnum> fromId, Func<IEnumerable<int>, TEnum>? fromIds = null, string? modelPath = null)
    {
        ModelPath = modelPath;
        if (isFlags && fromIds is null) throw new ArgumentNullException(nameof(fromIds), "the labels of a [Flags] enum need fromIds");
        this.names = names;
        IsFlags = isFlags;
        this.fromId = fromId;
        this.fromIds = fromIds;
        // The reverse of fromId, built from the generated code's own table rather than by reading the enum's members.
        for (int id = 0; id < names.Length; id++) idOf[fromId(id)] = id;
    }

    /// <summary>Label names in id order, as the model's <c>id2label</c> must list them.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>Whether the enum is a <c>[Flags]</c> multi-label set.</summary>
    public bool IsFlags { get; }

    /// <summary>The fine-tuned model named by the enum's <c>[BertLabels(ModelPath = ...)]</c>, if any.</summary>
    public string? ModelPath { get; }

    /// <summary>The id of a label name (exact spelling), or -1.</summary>
    public int IdOf(string label) => Array.IndexOf(names, label);

    /// <summary>The member whose label id is <paramref name="id"/>.</summary>
    public TEnum FromId(int id) => fromId(id);

    /// <summary>For a <c>[Flags]</c> enum, the value with the members of every id in <paramref name="ids"/> set.</summary>
    public TEnum FromIds(IEnumerable<int> ids) =>
        fromIds is null ? throw new InvalidOperationException($"{typeof(TEnum).Name} is not a [Flags] enum; use FromId") : fromIds(ids);

    /// <summary>The label id of one member.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not a single label (a combination of flags, or no member).</exception>
    public int ToId(TEnum value) =>
        idOf.TryGetValue(value, out int id) ? id : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a single {typeof(TEnum).Name} label");

    /// <summary>For a <c>[Flags]</c> enum, the label ids of every flag set in <paramref name="value"/>, in id order.</summary>
    public int[] ToIds(TEnum value)
    {
        if (!IsFlags) throw new InvalidOperationException($"{typeof(TEnum).Name} is not a [Flags] enum; use ToId");
        var result = new List<int>();
        for (int id = 0; id < names.Length; id++)
            if (value.HasFlag(fromId(id))) result.Add(id); // HasFlag on a generic enum compiles to a bit test, without boxing or reflection
        return [.. result];
    }

    /// <summary>Called by the generated module initializer of <typeparamref name="TEnum"/>'s assembly.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register(EnumLabels<TEnum> labels) => registered = labels;

    /// <summary>The labels of <typeparamref name="TEnum"/>, running its assembly's module initializer first if nothing in that assembly has run yet.</summary>
    /// <exception cref="InvalidOperationException">The enum has no generated labels: the message says how to get one.</exception>
    public static EnumLabels<TEnum> Get() => TryGet(out var labels) ? labels : throw new InvalidOperationException(Missing);

    /// <summary>Like <see cref="Get"/>, without throwing.</summary>
    public static bool TryGet([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EnumLabels<TEnum>? labels)
    {
        if (registered is null) RuntimeHelpers.RunModuleConstructor(typeof(TEnum).Module.ModuleHandle);
        labels = registered;
        return labels is not null;
    }

    /// <summary>What <see cref="Get"/> says when the enum has no generated labels.</summary>
    public static string Missing =>
        $"{typeof(TEnum).FullName} has no generated labels: mark it [BertLabels] and build its project with the TypedBert package, "
        + "whose source generator registers the labels (C# 9 or later)";
}
