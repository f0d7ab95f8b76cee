namespace TypedBert;

/// <summary>
/// Makes an enum the label set of a BERT classifier. The TypedBert source generator then emits, for <c>enum Topic</c>:
/// <c>TopicLabels</c> (names, ids, parsing), <c>TopicScores</c> (one typed score per label), <c>TopicClassifier</c>
/// (load, fine-tune, predict) and <c>Topic.Predict(text)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Enum, AllowMultiple = false, Inherited = false)]
public sealed class BertLabelsAttribute : Attribute
{
    /// <summary>The pre-trained base model a new classifier starts from: an embedded name or a Hugging Face folder.</summary>
    public string Model { get; set; } = Pretrained.ModelCatalog.DefaultModel;

    /// <summary>Folder of the fine-tuned classifier that <c>Topic.Predict</c> uses unless another one is set at run time.</summary>
    /// <remarks>
    /// When the folder's <c>config.json</c> is an AdditionalFiles item (the package's build targets add it when the folder exists),
    /// the generator compares its <c>id2label</c> with the enum at compile time (TB0301).
    /// </remarks>
    public string? ModelPath { get; set; }

    /// <summary>
    /// The training file (TSV, CSV or JSON Lines, relative to the project), checked at compile time: its label column must hold
    /// only labels of the enum (TB0201), every label should have examples (TB0202), and a large imbalance is pointed out (TB0203).
    /// The package's build targets make the file an AdditionalFiles item.
    /// </summary>
    public string? TrainingData { get; set; }

    /// <summary>The text column of <see cref="TrainingData"/> (a field name in JSON Lines).</summary>
    public string TextColumn { get; set; } = Data.DataColumnDefaults.Text;

    /// <summary>The label column of <see cref="TrainingData"/> (a field name in JSON Lines).</summary>
    public string LabelColumn { get; set; } = Data.DataColumnDefaults.Label;
}

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
