using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>
/// Lets one thread put its own word embeddings in place of the looked-up ones for the forward passes it runs, as
/// transformers' <c>inputs_embeds</c> does: integrated gradients feeds interpolations between a baseline and the text's
/// embeddings and differentiates with respect to them. Position and token-type embeddings, LayerNorm and the layers stay
/// as they are. Per thread, so predictions running on other threads at the same time are untouched.
/// </summary>
internal static class WordEmbeddingsOverride
{
    [ThreadStatic] static Tensor? current;

    /// <summary>The embeddings the embedding modules of this thread return until the scope is disposed; [batch, sequence, width].</summary>
    public static IDisposable Use(Tensor embeddings)
    {
        var previous = current;
        current = embeddings;
        return new Restore(previous);
    }

    /// <summary><paramref name="lookedUp"/>, or the embeddings this thread set (the caller checks their shape against the ids).</summary>
    public static Tensor Apply(Tensor lookedUp)
    {
        if (current is not { } replacement) return lookedUp;
        if (!replacement.shape.SequenceEqual(lookedUp.shape))
            throw new InvalidOperationException($"word embeddings of shape [{string.Join(", ", replacement.shape)}] set for input ids embedded as [{string.Join(", ", lookedUp.shape)}]");
        return replacement.dtype == lookedUp.dtype ? replacement : replacement.to(lookedUp.dtype);
    }

    sealed class Restore(Tensor? previous) : IDisposable
    {
        public void Dispose() => current = previous;
    }
}
