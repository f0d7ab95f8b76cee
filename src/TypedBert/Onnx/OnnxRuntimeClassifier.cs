using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TypedBert.Tokenization;

namespace TypedBert.Onnx;

/// <summary>
/// An ONNX Runtime session over an exported classifier graph: padded batches in, logits out. The session is safe to run from many
/// threads at once (ONNX Runtime's <c>Run</c> is).
/// </summary>
internal sealed class OnnxRuntimeClassifier : IDisposable
{
    readonly InferenceSession session;
    readonly bool takesTokenTypes;

    /// <summary>Opens <paramref name="model"/> with all graph optimisations and <paramref name="threads"/> intra-op threads.</summary>
    public OnnxRuntimeClassifier(byte[] model, int threads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        session = new InferenceSession(model, options);
        takesTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
    }

    /// <summary>Logits [batch][labels] of <paramref name="batch"/>.</summary>
    public float[][] Run(BatchEncoding batch)
    {
        int[] shape = [batch.BatchSize, batch.SequenceLength];
        var feeds = new List<NamedOnnxValue>(3)
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(batch.InputIds, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(batch.AttentionMask, shape)),
        };
        if (takesTokenTypes) feeds.Add(NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(batch.TokenTypeIds, shape)));
        using var results = session.Run(feeds);
        var logits = results.First(r => r.Name == "logits").AsTensor<float>();
        int labels = logits.Dimensions[1];
        var flat = logits.ToArray();
        var rows = new float[batch.BatchSize][];
        for (int row = 0; row < rows.Length; row++) rows[row] = flat[(row * labels)..((row + 1) * labels)];
        return rows;
    }

    /// <inheritdoc />
    public void Dispose() => session.Dispose();
}
