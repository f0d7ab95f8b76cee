namespace TypedBert.Classification;

/// <summary>How the logits of several windows become one.</summary>
/// <remarks>The source generator compiles this file too (internal there): <c>[BertTrainingConfig]</c> is checked and emitted with these members.</remarks>
public enum WindowAggregation
{
    /// <summary>Average of the windows' logits: every window votes, suits single-label texts whose signal is spread out.</summary>
    Mean,

    /// <summary>Element-wise maximum of the windows' logits (a label wins if any window shows it strongly): suits multi-label "any window shows it".</summary>
    Max,

    /// <summary>
    /// Average of the windows' probabilities (softmax for single-label, sigmoid for multi-label; logits for regression): one confident
    /// window cannot outvote the others by a large logit.
    /// </summary>
    MeanProbability,
}
