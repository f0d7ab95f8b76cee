using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>What an encoder returns: one vector per token, and (for models with a pooler) one per sequence.</summary>
/// <param name="LastHiddenState">[batch, sequence, hidden].</param>
/// <param name="PoolerOutput">[batch, hidden], tanh(dense(first token)); null when the model has no pooler.</param>
public sealed record EncoderOutput(Tensor LastHiddenState, Tensor? PoolerOutput) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        LastHiddenState.Dispose();
        PoolerOutput?.Dispose();
    }
}
