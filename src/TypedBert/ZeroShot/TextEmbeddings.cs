using TypedBert.Classification;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert.ZeroShot;

/// <summary>The vectors a classifier's head reads (<see cref="SequenceClassificationModel.Features"/>), for whole texts.</summary>
public static class TextEmbeddings
{
    /// <summary>
    /// The features [texts, hidden] of <paramref name="texts"/>, each truncated to <paramref name="maxLength"/> tokens, without gradients,
    /// in batches of similar length; on the CPU, in input order.
    /// </summary>
    public static float[][] Of(TextClassifier classifier, IReadOnlyList<string> texts, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(texts);
        var encoded = texts.Select(t => classifier.Tokenizer.Encode(t, null, maxLength)).ToArray();
        var order = Enumerable.Range(0, encoded.Length).OrderByDescending(i => encoded[i].Length).ToArray();
        var result = new float[texts.Count][];
        var model = classifier.Model;
        bool training = model.training;
        model.eval(); // no dropout: the vectors prediction sees
        try
        {
            using var inference = inference_mode();
            foreach (var chunk in order.Chunk(32))
            {
                using var scope = NewDisposeScope();
                var inputs = new BatchEncoding([.. chunk.Select(i => encoded[i])], classifier.Tokenizer.PadTokenId).ToTensors(classifier.Device);
                var features = model.Features(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds).to(ScalarType.Float32).cpu();
                float[] flat = features.data<float>().ToArray();
                int width = (int)features.shape[1];
                for (int row = 0; row < chunk.Length; row++) result[chunk[row]] = flat[(row * width)..((row + 1) * width)];
            }
        }
        finally
        {
            if (training) model.train();
        }
        return result;
    }

    /// <summary>The Euclidean length of <paramref name="vector"/>.</summary>
    public static double Norm(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        double sum = 0;
        foreach (float v in vector) sum += (double)v * v;
        return Math.Sqrt(sum);
    }
}
