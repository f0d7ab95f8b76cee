namespace TypedBert.Classification;

/// <summary>What the classification head predicts; the names in <c>config.json</c> are Hugging Face's <c>problem_type</c>.</summary>
public enum ProblemType
{
    /// <summary>Exactly one label per text (binary or multi-class): softmax and cross-entropy.</summary>
    SingleLabel,

    /// <summary>Any subset of the labels per text: sigmoid per label and binary cross-entropy.</summary>
    MultiLabel,

    /// <summary>One or more real numbers per text: mean squared error.</summary>
    Regression,
}

/// <summary>Conversions between <see cref="ProblemType"/> and Hugging Face's strings.</summary>
public static class ProblemTypes
{
    /// <summary><c>single_label_classification</c>, <c>multi_label_classification</c> or <c>regression</c>.</summary>
    public static string ToHuggingFace(this ProblemType type) => type switch
    {
        ProblemType.SingleLabel => "single_label_classification",
        ProblemType.MultiLabel => "multi_label_classification",
        ProblemType.Regression => "regression",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses Hugging Face's string; null (absent) means single-label, as in transformers.</summary>
    public static ProblemType FromHuggingFace(string? value, string source) => value switch
    {
        null or "single_label_classification" => ProblemType.SingleLabel,
        "multi_label_classification" => ProblemType.MultiLabel,
        "regression" => ProblemType.Regression,
        _ => throw new InvalidDataException($"{source}: problem_type \"{value}\" is not one of single_label_classification, multi_label_classification, regression"),
    };
}
