using System.ComponentModel;

namespace TypedBert.Typed;

/// <summary>Renamed <see cref="EnumLabels{TEnum}"/>, after the generated <c>{Enum}Labels</c> it mirrors.</summary>
/// <typeparam name="TEnum">The <c>[BertLabels]</c> enum.</typeparam>
[Obsolete("use EnumLabels<TEnum> (EnumLabels<TEnum>.Get(), TypedClassifier<TEnum>.Labels): the same labels, renamed", error: true)]
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LabelMap<TEnum> where TEnum : struct, Enum
{
}
