namespace TypedBert.Explanations;

/// <summary>One word piece's share of the logit.</summary>
/// <param name="TokenId">The piece's id in the vocabulary.</param>
/// <param name="Word">Index of its word in <see cref="Explanation.Words"/>.</param>
/// <param name="Score">Its attribution: positive pushed the label's logit up from the baseline, negative down.</param>
public readonly record struct TokenAttribution(int TokenId, int Word, float Score);

/// <summary>One word of the text (characters between whitespace) and the sum of its pieces' attributions.</summary>
/// <param name="Word">The word as it stands in the text.</param>
/// <param name="Start">Index of its first character in the text.</param>
/// <param name="Length">Its length in characters.</param>
/// <param name="Score">The sum of its pieces' attributions (0 for a word the tokenizer drops).</param>
public readonly record struct WordAttribution(string Word, int Start, int Length, float Score);
