using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary>
/// <c>embeddings.*</c>: word + position + token-type embeddings, then LayerNorm and dropout. RoBERTa and Longformer use the same
/// module with positions counted from the padding index + 1, and padding tokens at the padding index (Hugging Face's
/// <c>create_position_ids_from_input_ids</c>).
/// </summary>
internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding? token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly CounterDropout dropout;
#pragma warning restore IDE1006
    private readonly long? positionPaddingIndex;

    /// <summary>Creates the embeddings for <paramref name="config"/>.</summary>
    /// <param name="config">Hyperparameters.</param>
    /// <param name="positionsAfterPadding">RoBERTa's position ids: the padding index + 1 onwards for tokens, the padding index for padding.</param>
    public BertEmbeddings(EncoderConfig config, bool positionsAfterPadding = false) : base(nameof(BertEmbeddings))
    {
        positionPaddingIndex = positionsAfterPadding ? config.PadTokenId : null;
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = config.TypeVocabSize > 0 ? nn.Embedding(config.TypeVocabSize, config.HiddenSize) : null;
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>Number of tokens the position table serves.</summary>
    public long MaxPositions => position_embeddings.weight!.shape[0] - (positionPaddingIndex + 1 ?? 0);

    /// <param name="inputIds">[batch, sequence] token ids.</param>
    /// <param name="tokenTypeIds">[batch, sequence] segment ids (0 for the first text, 1 for the second of a pair).</param>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        long sequenceLength = inputIds.shape[1];
        if (sequenceLength > MaxPositions)
            throw new ArgumentException($"sequence of {sequenceLength} tokens is longer than the model's {MaxPositions} positions; truncate it or use a sliding window", nameof(inputIds));
        using var scope = NewDisposeScope();
        var positions = positionPaddingIndex is long pad
            ? PositionsAfterPadding(inputIds, pad)
            : arange(sequenceLength, ScalarType.Int64, inputIds.device).unsqueeze(0);
        var sum = WordEmbeddingsOverride.Apply(word_embeddings.forward(inputIds)) + position_embeddings.forward(positions);
        if (token_type_embeddings is not null) sum = sum + token_type_embeddings.forward(tokenTypeIds);
        return dropout.forward(LayerNorm.forward(sum)).MoveToOuterDisposeScope();
    }

    static Tensor PositionsAfterPadding(Tensor inputIds, long pad)
    {
        var isToken = inputIds.ne(pad).to(ScalarType.Int64);
        return isToken.cumsum(1) * isToken + pad;
    }
}
