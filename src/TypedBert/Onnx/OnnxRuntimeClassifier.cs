using Microsoft.ML.OnnxRuntime;
using TypedBert.Classification;
using TypedBert.Tokenization;

namespace TypedBert.Onnx;

/// <summary>
/// An ONNX Runtime session over an exported classifier graph: padded batches in, logits out. The session is safe to run from many
/// threads at once (ONNX Runtime's <c>Run</c> is).
/// </summary>
internal sealed class OnnxRuntimeClassifier : IInferenceBackend
{
    static readonly string[] Outputs = ["logits"];
    readonly InferenceSession session;
    readonly string[] inputs;
    readonly RunOptions runOptions = new();
    readonly Lazy<InferenceSession>? unpadded;

    /// <summary>Opens <paramref name="model"/> with all graph optimisations and <paramref name="threads"/> intra-op threads.</summary>
    /// <param name="model">The graph.</param>
    /// <param name="threads">Intra-op threads.</param>
    /// <param name="unpaddedModel">
    /// Writes the same graph without the attention mask (<see cref="OnnxExportOptions.WithoutAttentionMask"/>), opened on the first
    /// batch without padding and used for every such batch; null: every batch runs <paramref name="model"/>.
    /// </param>
    public OnnxRuntimeClassifier(byte[] model, int threads, Func<byte[]>? unpaddedModel = null)
    {
        using var options = Options(threads);
        session = new InferenceSession(model, options);
        inputs = Inputs(session);
        if (unpaddedModel is not null)
            unpadded = new(() =>
            {
                using var unpaddedOptions = Options(threads);
                return new InferenceSession(unpaddedModel(), unpaddedOptions);
            }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Opens the graph file <paramref name="path"/> (an exported folder's) as <see cref="OnnxRuntimeClassifier(byte[], int, Func{byte[]})"/> does.</summary>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot open the file, or it is not a classifier graph; the message names the file.</exception>
    public OnnxRuntimeClassifier(string path, int threads)
    {
        using var options = Options(threads);
        try { session = new InferenceSession(path, options); }
        catch (OnnxRuntimeException e) { throw new InvalidDataException($"{path}: ONNX Runtime cannot open it ({e.Message.Trim()})", e); }
        inputs = Inputs(session);
        if (!session.OutputMetadata.ContainsKey(Outputs[0]) || !session.InputMetadata.ContainsKey("input_ids") || !session.InputMetadata.ContainsKey("attention_mask"))
        {
            session.Dispose();
            throw new InvalidDataException($"{path}: not a sequence classifier graph (it needs inputs input_ids and attention_mask and an output logits)");
        }
    }

    /// <summary>
    /// The quantization the graph's metadata records (<c>typedbert_quantization</c>, written by <see cref="OnnxExport"/>); fp32 for a
    /// graph without it (optimum's, for one).
    /// </summary>
    public OnnxQuantization Quantization =>
        session.ModelMetadata.CustomMetadataMap.TryGetValue("typedbert_quantization", out var value) && Enum.TryParse<OnnxQuantization>(value, out var quantization)
            ? quantization : OnnxQuantization.None;

    static SessionOptions Options(int threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
    };

    static string[] Inputs(InferenceSession session) =>
        session.InputMetadata.ContainsKey("token_type_ids") ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];

    /// <summary>Logits [batch][labels] of <paramref name="batch"/>.</summary>
    /// <remarks>The batch's arrays are handed to ONNX Runtime as they are (<see cref="OrtValue"/> over managed memory, no copies).</remarks>
    public float[][] Run(BatchEncoding batch)
    {
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
        using var types = inputs.Length == 3 ? OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape) : null;
        OrtValue[] values = types is null ? [ids, mask] : [ids, mask, types];
        bool noPadding = unpadded is not null && batch.Lengths.All(length => length == batch.SequenceLength);
        using var results = (noPadding ? unpadded!.Value : session).Run(runOptions, inputs, values, Outputs);
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
        if (unpadded is { IsValueCreated: true }) unpadded.Value.Dispose();
        runOptions.Dispose();
    }
}
