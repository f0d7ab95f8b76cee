using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Training;

namespace TypedBert.Cli.Reporting;

/// <summary>What a model card tells about a fine-tuned classifier: where it came from, how it was trained, how it scored.</summary>
internal sealed record ModelCard
{
    /// <summary>The model's name, usually its folder's name.</summary>
    public required string Name { get; init; }

    /// <summary>The base model as given: an embedded model's name or a folder.</summary>
    public required string BaseModel { get; init; }

    /// <summary>The classifier's configuration (labels, problem type, pooling, encoder shape).</summary>
    public required SequenceClassificationConfig Config { get; init; }

    /// <summary>The settings of the run.</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>
    /// How the model was trained on long texts and reads them, resolved for the model (as saved in <c>config.json</c>); null, or
    /// truncation, the default, and the card says nothing about it.
    /// </summary>
    public LongTextSettings? LongText { get; init; }

    /// <summary>The run's per-epoch figures.</summary>
    public required TrainingResult Run { get; init; }

    /// <summary>A data set name (such as a Hugging Face hub id), when known.</summary>
    public string? Dataset { get; init; }

    /// <summary>The training file and its example count.</summary>
    public required DataSource Train { get; init; }

    /// <summary>The evaluation file, when one was given.</summary>
    public DataSource? Eval { get; init; }

    /// <summary>The test file and its evaluation with the final model, when one was given.</summary>
    public (DataSource Source, EvaluationResult Result)? Test { get; init; }

    /// <summary>The evaluation of the epoch whose weights the model holds; null without evaluation data.</summary>
    public EvaluationResult? KeptEvaluation => Run.Epochs.FirstOrDefault(e => e.Epoch == Run.BestEpoch)?.Evaluation;
}

/// <summary>A data file a run read.</summary>
/// <param name="Path">The file as given.</param>
/// <param name="Examples">Examples read from it.</param>
internal sealed record DataSource(string Path, int Examples);
