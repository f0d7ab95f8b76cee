using TypedBert.Classification;

namespace TypedBert.Explanations;

/// <summary>
/// <c>classifier.Explain(text)</c>: which words made the classifier give a label its score, by integrated gradients over the word
/// embeddings (<see cref="ExplanationOptions"/> sets the steps, the baseline and the rule).
/// </summary>
public static class TextClassifierExplanations
{
    /// <summary>
    /// Explains one label's logit for <paramref name="text"/>: the predicted label when <paramref name="label"/> is null (for a
    /// multi-label model the highest-scoring label). A text longer than the model reads at once is explained window by window
    /// (windows of <see cref="TextClassifier.MaxLength"/> tokens, <see cref="LongTextOptions.Stride"/> apart under a sliding window,
    /// side by side otherwise) and mapped back to the words of the whole text.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no label <paramref name="label"/>; the message lists its labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The steps are outside 1 to 1,000.</exception>
    /// <exception cref="InvalidOperationException">The classifier was loaded from an exported ONNX folder, which has no gradients.</exception>
    public static Explanation Explain(this TextClassifier classifier, string text, string? label = null, ExplanationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(text);
        options ??= new ExplanationOptions();
        options.Validate();
        int labelId = label is null ? classifier.Predict(text).LabelId : LabelId(classifier, label);
        return ExplainLabel(classifier, text, labelId, options);
    }

    /// <summary>
    /// Explains each of <paramref name="labels"/> (every label of the model when null) for <paramref name="text"/>: for a
    /// <c>[Flags]</c> or other multi-label model, one explanation per label.
    /// </summary>
    /// <exception cref="ArgumentException">A label is not the model's; the message lists its labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The steps are outside 1 to 1,000.</exception>
    public static IReadOnlyList<Explanation> ExplainEach(this TextClassifier classifier, string text, IReadOnlyList<string>? labels = null, ExplanationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(text);
        options ??= new ExplanationOptions();
        options.Validate();
        var ids = labels is null ? Enumerable.Range(0, classifier.Labels.Count) : labels.Select(l => LabelId(classifier, l));
        return [.. ids.Select(id => ExplainLabel(classifier, text, id, options))];
    }

    static int LabelId(TextClassifier classifier, string label)
    {
        for (int i = 0; i < classifier.Labels.Count; i++)
            if (classifier.Labels[i] == label) return i;
        throw new ArgumentException($"no label \"{label}\" to explain; the model's labels are {string.Join(", ", classifier.Labels)}", nameof(label));
    }

    static Explanation ExplainLabel(TextClassifier classifier, string text, int labelId, ExplanationOptions options)
    {
        var model = classifier.Model;
        var tokenizer = classifier.Tokenizer;
        var words = TextWords.Split(text, tokenizer);
        var settings = classifier.LongTextSettingsFor(null);
        int content = settings.Content;
        int stride = settings.Strategy == LongTextStrategy.SlidingWindow ? Math.Min(settings.Stride, content) : content;
        int pieces = words.Pieces.Length;

        var sums = new double[pieces];
        var counts = new int[pieces];
        var windows = new List<IntegratedGradients.Window>();
        for (int start = 0; windows.Count == 0 || start < pieces; start += stride)
        {
            int end = Math.Min(pieces, start + content);
            int[] ids = [tokenizer.ClsTokenId, .. words.Pieces[start..end], tokenizer.SepTokenId];
            bool[] keep = [.. ids.Select((id, i) => i == 0 || i == ids.Length - 1 || IsSpecial(tokenizer, id))];
            var window = IntegratedGradients.Run(model, classifier.Device, ids, keep, labelId, tokenizer.PadTokenId, options);
            windows.Add(window);
            for (int i = start; i < end; i++)
            {
                sums[i] += window.Attributions[i - start + 1];
                counts[i]++;
            }
            if (end == pieces) break;
        }

        var tokens = new TokenAttribution[pieces];
        var wordScores = new double[words.Spans.Count];
        for (int i = 0; i < pieces; i++)
        {
            float score = counts[i] == 0 ? 0 : (float)(sums[i] / counts[i]);
            tokens[i] = new TokenAttribution(words.Pieces[i], words.PieceWord[i], score);
            wordScores[words.PieceWord[i]] += score;
        }
        var wordList = words.Spans.Select((s, i) => new WordAttribution(text.Substring(s.Start, s.Length), s.Start, s.Length, (float)wordScores[i])).ToArray();
        return new Explanation(text, classifier.Labels[labelId], labelId, wordList, tokens, windows.Average(w => w.Logit), windows.Average(w => w.BaselineLogit),
            windows.Max(w => w.CompletenessError), windows.Count, options);
    }

    /// <summary>Special tokens inside the text (a literal "[SEP]" the tokenizer keeps whole) stay in the baseline too.</summary>
    static bool IsSpecial(Tokenization.ITextTokenizer tokenizer, int id) =>
        id == tokenizer.ClsTokenId || id == tokenizer.SepTokenId || id == tokenizer.PadTokenId;
}
