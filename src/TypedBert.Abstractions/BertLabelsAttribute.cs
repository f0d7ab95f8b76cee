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
