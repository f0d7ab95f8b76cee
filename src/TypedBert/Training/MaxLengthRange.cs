using TypedBert.Classification.LongText;

namespace TypedBert.Training;

/// <summary>
/// The maximum lengths a model can train and predict with: from the shortest sequence ([CLS], one token, [SEP]) to the model's
/// positions. The rule that <c>[BertTrainingConfig(MaxLength = ...)]</c> is held to at build time (TB0101, TB0103), for the code
/// that only learns the positions at run time (<c>typedbert train</c> and <c>tune</c>).
/// </summary>
public static class MaxLengthRange
{
    /// <summary>The smallest maximum length.</summary>
    public const int Minimum = LongTextLimits.MinimumSequence;

    /// <summary>Whether <paramref name="maxLength"/> fits a model of <paramref name="positions"/> positions.</summary>
    public static bool Fits(int maxLength, int positions) => maxLength >= Minimum && maxLength <= positions;

    /// <summary>The allowed range in words, such as "3 to 512 tokens ([CLS] and [SEP] included)".</summary>
    public static string Describe(int positions) => $"{Minimum} to {positions} tokens ([CLS] and [SEP] included)";
}
