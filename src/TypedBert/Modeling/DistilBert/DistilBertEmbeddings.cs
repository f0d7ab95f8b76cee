using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.DistilBert;

/// <summary><c>embeddings.*</c>: word + position embeddings (DistilBERT has no token types), then LayerNorm and dropout.</summary>
internal sealed class DistilBertEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly CounterDropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the embeddings for <paramref name="config"/>.</summary>
    public DistilBertEmbeddings(EncoderConfig config) : base(nameof(DistilBertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, 1e-12);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="inputIds">[batch, sequence] token ids.</param>
    public override Tensor forward(Tensor inputIds)
    {
        long sequenceLength = inputIds.shape[1], maxPositions = position_embeddings.weight!.shape[0];
        if (sequenceLength > maxPositions)
            throw new ArgumentException($"sequence of {sequenceLength} tokens is longer than the model's {maxPositions} positions; truncate it or use a sliding window", nameof(inputIds));
        using var scope = NewDisposeScope();
        var positions = arange(sequenceLength, ScalarType.Int64, inputIds.device).unsqueeze(0);
        return dropout.forward(LayerNorm.forward(WordEmbeddingsOverride.Apply(word_embeddings.forward(inputIds)) + position_embeddings.forward(positions))).MoveToOuterDisposeScope();
    }
}
