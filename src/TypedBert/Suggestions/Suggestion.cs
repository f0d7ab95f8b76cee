using TypedBert.Classification;

namespace TypedBert.Suggestions;

/// <summary>One text to label next.</summary>
/// <param name="Index">Its position in the pool as given (the first occurrence when the pool repeats it).</param>
/// <param name="Text">The text, as the pool gave it.</param>
/// <param name="Uncertainty">
/// How unsure the model is of it, higher is less sure: the strategy's own measure (1 - max p, 1 - (p1 - p2) or the entropy in nats);
/// the margin measure for <see cref="SuggestionStrategy.Random"/> and <see cref="SuggestionStrategy.Diverse"/>.
/// </param>
/// <param name="Prediction">What the model predicts for it now (a labelling page can show or pre-select it).</param>
public sealed record Suggestion(int Index, string Text, double Uncertainty, Prediction Prediction);
