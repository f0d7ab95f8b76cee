using TypedBert.Tokenization;

namespace TypedBert.Classification;

/// <summary>
/// An engine other than libtorch that computes a classifier's logits: padded batches in, one row of logits per text out. Safe to run
/// from many threads at once. The ONNX Runtime engines plug in from the Onnx folder (<see cref="InferenceBackends"/>).
/// </summary>
internal interface IInferenceBackend : IDisposable
{
    /// <summary>Logits [batch][labels] of <paramref name="batch"/>.</summary>
    float[][] Run(BatchEncoding batch);
}
