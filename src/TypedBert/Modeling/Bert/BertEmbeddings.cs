using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary><c>embeddings.*</c>: word + position + token-type embeddings, then LayerNorm and dropout.</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding? token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the embeddings for <paramref name="config"/>.</summary>
    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = config.TypeVocabSize > 0 ? nn.Embedding(config.TypeVocabSize, config.HiddenSize) : null;
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>Number of positions the model has embeddings for.</summary>
    public long MaxPositions => position_embeddings.weight!.shape[0];

    /// <param name="inputIds">[batch, sequence] token ids.</param>
    /// <param name="tokenTypeIds">[batch, sequence] segment ids (0 for the first text, 1 for the second of a pair).</param>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        long sequenceLength = inputIds.shape[1];
        if (sequenceLength > MaxPositions)
            throw new ArgumentException($"sequence of {sequenceLength} tokens is longer than the model's {MaxPositions} positions; truncate it or use a sliding window", nameof(inputIds));
        using var scope = NewDisposeScope();
        var positions = arange(sequenceLength, ScalarType.Int64, inputIds.device).unsqueeze(0);
        var sum = word_embeddings.forward(inputIds) + position_embeddings.forward(positions);
        if (token_type_embeddings is not null) sum = sum + token_type_embeddings.forward(tokenTypeIds);
        return dropout.forward(LayerNorm.forward(sum)).MoveToOuterDisposeScope();
    }
}
