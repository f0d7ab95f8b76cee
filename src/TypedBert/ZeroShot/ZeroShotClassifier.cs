using TypedBert.Classification;
using static TorchSharp.torch;

namespace TypedBert.ZeroShot;

/// <summary>
/// A classifier built from label descriptions alone, with no labelled data: each label's vector is the mean of the unit-length
/// embeddings of its (templated) descriptions, and a text takes the label whose vector is most similar to its own embedding (cosine,
/// argmax; the probe in ../shared/notes/label-efficiency.md, and SetFit's templated zero-shot without the training).
/// The result is an ordinary <see cref="TextClassifier"/> with mean pooling and a linear head whose rows are the label vectors, so it is
/// saved, loaded, evaluated, served, exported and fine-tuned like any other; a few-shot or fine-tuning run on it starts from the descriptions.
/// </summary>
/// <remarks>
/// The head reads the text vector unnormalised: its logits are <c>Scale · |x| / n · cos(x, label)</c>, where n is the mean length of the
/// description vectors. The factor |x| / n is the same for every label of a text, so the argmax is exactly the cosine argmax and only the
/// sharpness of the probabilities varies a little from text to text; in exchange the model is the family's standard architecture, which
/// every engine, the ONNX export and transformers read as they are.
/// </remarks>
public static class ZeroShotClassifier
{
    /// <summary>The pre-trained encoder <paramref name="baseModel"/> (<see cref="ZeroShotOptions.Pooling"/>, mean by default) with a head made from <paramref name="descriptions"/>.</summary>
    /// <param name="baseModel">An embedded model name, a model folder or a hub id (see <see cref="TextClassifier.FromPretrained"/>).</param>
    /// <param name="descriptions">The labels, in id order, and their descriptions.</param>
    /// <param name="options">Template, scale and length; the defaults when null.</param>
    /// <param name="device">CPU when null.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public static TextClassifier Create(string baseModel, LabelDescriptions descriptions, ZeroShotOptions? options = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(descriptions);
        options ??= new ZeroShotOptions();
        options.Validate();
        var classifier = TextClassifier.FromPretrained(baseModel, descriptions.Labels, ProblemType.SingleLabel, options.Pooling, device);
        try
        {
            InitializeHead(classifier, descriptions, options);
            return classifier;
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sets the head of <paramref name="classifier"/> from <paramref name="descriptions"/>: row i is label i's vector (unit length, times
    /// <see cref="ZeroShotOptions.Scale"/> over the typical text-vector length), the bias 0. Use it to start training from the descriptions.
    /// </summary>
    /// <exception cref="ArgumentException">The labels differ from the classifier's, the classifier is not single-label, or its head is not
    /// one linear layer (BERT and ALBERT heads are; RoBERTa's and DistilBERT's have a hidden layer).</exception>
    public static void InitializeHead(TextClassifier classifier, LabelDescriptions descriptions, ZeroShotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(descriptions);
        options ??= new ZeroShotOptions();
        options.Validate();
        if (!classifier.Labels.SequenceEqual(descriptions.Labels, StringComparer.Ordinal))
            throw new ArgumentException($"the descriptions are for {string.Join(", ", descriptions.Labels)}, the classifier's labels are {string.Join(", ", classifier.Labels)}; describe the classifier's labels, in its order", nameof(descriptions));
        if (classifier.ProblemType != ProblemType.SingleLabel)
            throw new ArgumentException($"zero-shot heads are single-label (the most similar label wins), this classifier is {classifier.ProblemType}; use a single-label classifier", nameof(classifier));
        var model = classifier.Model;
        var head = model.named_parameters().Where(p => model.IsHeadParameter(p.name)).ToDictionary(p => p.name, p => p.parameter);
        int labels = descriptions.Labels.Count, hidden = classifier.Config.Encoder.HiddenSize;
        if (head.Count != 2 || !head.TryGetValue("classifier.weight", out var weight) || !head.TryGetValue("classifier.bias", out var bias)
            || weight.shape.Length != 2 || weight.shape[0] != labels || weight.shape[1] != hidden)
            throw new ArgumentException($"a zero-shot head is one linear layer (classifier.weight [labels, hidden]); this {model.Family.ModelType} head has {string.Join(", ", head.Keys)}: use a BERT or ALBERT base model", nameof(classifier));

        var (vectors, meanNorm) = LabelVectors(classifier, descriptions, options);
        float factor = (float)(options.Scale / meanNorm);
        var rows = new float[labels * hidden];
        for (int id = 0; id < labels; id++)
            for (int j = 0; j < hidden; j++) rows[id * hidden + j] = vectors[id][j] * factor;
        using var updating = classifier.UpdatingWeights();
        using var noGrad = no_grad();
        using var values = tensor(rows, [labels, hidden]);
        weight.copy_(values);
        bias.zero_();
    }

    /// <summary>
    /// Each label's unit vector (the normalised mean of its descriptions' unit embeddings) and the mean length of the raw description
    /// embeddings, which stands for a typical text's.
    /// </summary>
    public static (float[][] Vectors, double MeanNorm) LabelVectors(TextClassifier classifier, LabelDescriptions descriptions, ZeroShotOptions options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(descriptions);
        ArgumentNullException.ThrowIfNull(options);
        var owners = new List<int>();
        var sentences = new List<string>();
        for (int id = 0; id < descriptions.Labels.Count; id++)
            foreach (var description in descriptions.Of(id))
            {
                owners.Add(id);
                sentences.Add(options.Apply(description));
            }
        var embeddings = TextEmbeddings.Of(classifier, sentences, options.MaxLength);
        var norms = embeddings.Select(TextEmbeddings.Norm).ToArray();
        int hidden = embeddings[0].Length;
        var sums = new double[descriptions.Labels.Count][];
        for (int id = 0; id < sums.Length; id++) sums[id] = new double[hidden];
        for (int i = 0; i < embeddings.Length; i++)
            for (int j = 0; j < hidden; j++) sums[owners[i]][j] += embeddings[i][j] / Math.Max(norms[i], 1e-12);
        var vectors = sums.Select(sum =>
        {
            double norm = Math.Sqrt(sum.Sum(v => v * v));
            return sum.Select(v => (float)(v / Math.Max(norm, 1e-12))).ToArray();
        }).ToArray();
        return (vectors, norms.Average());
    }
}
