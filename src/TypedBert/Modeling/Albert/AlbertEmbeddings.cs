using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Albert;

/// <summary><c>embeddings.*</c>: word + position + token-type embeddings of width embedding_size, then LayerNorm and dropout.</summary>
internal sealed class AlbertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly CounterDropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the factorised embeddings: <paramref name="embeddingSize"/> wide, mapped to hidden_size by the encoder.</summary>
    public AlbertEmbeddings(EncoderConfig config, int embeddingSize) : base(nameof(AlbertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, embeddingSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, embeddingSize);
        token_type_embeddings = nn.Embedding(Math.Max(1, config.TypeVocabSize), embeddingSize);
        LayerNorm = nn.LayerNorm(embeddingSize, config.LayerNormEps);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="inputIds">[batch, sequence] token ids.</param>
    /// <param name="tokenTypeIds">[batch, sequence] segment ids.</param>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        long sequenceLength = inputIds.shape[1], maxPositions = position_embeddings.weight!.shape[0];
        if (sequenceLength > maxPositions)
            throw new ArgumentException($"sequence of {sequenceLength} tokens is longer than the model's {maxPositions} positions; truncate it or use a sliding window", nameof(inputIds));
        using var scope = NewDisposeScope();
        var positions = arange(sequenceLength, ScalarType.Int64, inputIds.device).unsqueeze(0);
        var sum = WordEmbeddingsOverride.Apply(word_embeddings.forward(inputIds)) + position_embeddings.forward(positions) + token_type_embeddings.forward(tokenTypeIds);
        return dropout.forward(LayerNorm.forward(sum)).MoveToOuterDisposeScope();
    }
}
