namespace TypedBert.Explanations;

/// <summary>Settings of integrated gradients (<see cref="TextClassifierExplanations.Explain"/>).</summary>
public sealed record ExplanationOptions
{
    /// <summary>The fewest steps accepted.</summary>
    public const int MinSteps = 1;

    /// <summary>The most steps accepted: beyond this the cost grows and the accuracy does not.</summary>
    public const int MaxSteps = 1000;

    /// <summary>The default number of steps: with Gauss-Legendre nodes the attributions of a fine-tuned MiniLM sum to the logit difference within 1 %.</summary>
    public const int DefaultSteps = 32;

    /// <summary>Points on the path from the baseline to the text at which gradients are taken; all of them share batched forward and backward passes.</summary>
    public int Steps { get; init; } = DefaultSteps;

    /// <summary>Where the path starts.</summary>
    public ExplanationBaseline Baseline { get; init; } = ExplanationBaseline.Padding;

    /// <summary>How the steps are placed and weighted.</summary>
    public IntegrationRule Rule { get; init; } = IntegrationRule.GaussLegendre;

    /// <summary>
    /// About how many tokens one forward and backward pass holds (steps × tokens of a window); more steps than fit are split
    /// over several passes, which bounds the memory of long windows.
    /// </summary>
    public int TokensPerPass { get; init; } = 4096;

    /// <summary>Checks the ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message gives the range.</exception>
    public void Validate()
    {
        if (Steps is < MinSteps or > MaxSteps)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"explanation steps must be between {MinSteps} and {MaxSteps} (default {DefaultSteps})");
        if (TokensPerPass < 1)
            throw new ArgumentOutOfRangeException(nameof(TokensPerPass), TokensPerPass, "tokens per pass must be at least 1");
        if (!Enum.IsDefined(Baseline)) throw new ArgumentOutOfRangeException(nameof(Baseline), Baseline, $"baseline must be one of {string.Join(", ", Enum.GetNames<ExplanationBaseline>())}");
        if (!Enum.IsDefined(Rule)) throw new ArgumentOutOfRangeException(nameof(Rule), Rule, $"rule must be one of {string.Join(", ", Enum.GetNames<IntegrationRule>())}");
    }
}
