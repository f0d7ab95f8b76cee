using TypedBert.Classification;
using TypedBert.Suggestions;

namespace TypedBert.Typed;

/// <summary>One text to label next (<see cref="Suggestion"/>), with the model's current guess as a member of the enum.</summary>
/// <typeparam name="TEnum">The <c>[BertLabels]</c> enum.</typeparam>
/// <param name="Index">Its position in the pool as given.</param>
/// <param name="Text">The text.</param>
/// <param name="Uncertainty">How unsure the model is of it, higher is less sure (see <see cref="Suggestion.Uncertainty"/>).</param>
/// <param name="Predicted">The label the model gives it now (for a <c>[Flags]</c> enum, the flags that reach their thresholds).</param>
/// <param name="Prediction">The whole prediction: every label's probability.</param>
public sealed record TypedSuggestion<TEnum>(int Index, string Text, double Uncertainty, TEnum Predicted, Prediction Prediction) where TEnum : struct, Enum;

/// <summary>One of the user's objects to label next: <see cref="TypedSuggestion{TEnum}"/> with the object it came from.</summary>
/// <typeparam name="TEnum">The <c>[BertLabels]</c> enum.</typeparam>
/// <typeparam name="TItem">The type of the pool's objects (a row of a query, say).</typeparam>
/// <param name="Item">The object, as the pool gave it.</param>
/// <param name="Index">Its position in the pool.</param>
/// <param name="Text">Its text, as the text selector read it.</param>
/// <param name="Uncertainty">How unsure the model is of it, higher is less sure.</param>
/// <param name="Predicted">The label the model gives it now.</param>
/// <param name="Prediction">The whole prediction.</param>
public sealed record TypedSuggestion<TEnum, TItem>(TItem Item, int Index, string Text, double Uncertainty, TEnum Predicted, Prediction Prediction) where TEnum : struct, Enum;
