using Microsoft.ML.OnnxRuntime;
using TypedBert.Tokenization;

namespace TypedBert.Onnx;

/// <summary>
/// An ONNX Runtime session over an exported classifier graph: padded batches in, logits out. The session is safe to run from many
/// threads at once (ONNX Runtime's <c>Run</c> is).
/// </summary>
internal sealed class OnnxRuntimeClassifier : IDisposable
{
    static readonly string[] Outputs = ["logits"];
    readonly InferenceSession session;
    readonly string[] inputs;
    readonly RunOptions runOptions = new();

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
        inputs = session.InputMetadata.ContainsKey("token_type_ids") ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
    }

    /// <summary>Logits [batch][labels] of <paramref name="batch"/>.</summary>
    /// <remarks>The batch's arrays are handed to ONNX Runtime as they are (<see cref="OrtValue"/> over managed memory, no copies).</remarks>
    public float[][] Run(BatchEncoding batch)
    {
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
        using var types = inputs.Length == 3 ? OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape) : null;
        OrtValue[] values = types is null ? [ids, mask] : [ids, mask, types];
        using var results = session.Run(runOptions, inputs, values, Outputs);
        var flat = results[0].GetTensorDataAsSpan<float>();
        int labels = flat.Length / Math.Max(1, batch.BatchSize);
        var rows = new float[batch.BatchSize][];
        for (int row = 0; row < rows.Length; row++) rows[row] = flat.Slice(row * labels, labels).ToArray();
        return rows;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }
}
