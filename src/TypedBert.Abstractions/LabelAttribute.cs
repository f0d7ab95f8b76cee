namespace TypedBert;

/// <summary>
/// The label name of an enum member when it differs from the member's name (for example "Sci/Tech"), and the sentences that describe
/// the label, from which the generated classifier predicts with no training data (zero-shot; <c>ZeroShot.ZeroShotClassifier</c>).
/// </summary>
/// <example><c>[Label("Sci/Tech", Description = "science and technology news")]</c>, or <c>[Label(Descriptions = ["...", "..."])]</c>.</example>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class LabelAttribute : Attribute
{
    /// <summary>Keeps the member's name as the label; use it to give only descriptions.</summary>
    public LabelAttribute() { }

    /// <param name="name">The label as it appears in data files and in the model's <c>id2label</c>.</param>
    public LabelAttribute(string name) => Name = name;

    /// <summary>The label name; null: the member's name.</summary>
    public string? Name { get; }

    /// <summary>
    /// A sentence that describes the label (checked at build time: not empty, not another label's, TB0006 and TB0007). Without any
    /// description a zero-shot classifier describes the label by its name.
    /// </summary>
    public string? Description { get; set; }

    /// <summary>More sentences that describe the label, besides <see cref="Description"/>; their embeddings are averaged.</summary>
    public string[]? Descriptions { get; set; }
}
