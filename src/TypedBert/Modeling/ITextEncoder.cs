using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>
/// What a classification head needs from a transformer encoder. BERT implements it today; DistilBERT, RoBERTa, ALBERT
/// and Longformer are siblings that bring their own embeddings and layers behind the same contract.
/// </summary>
public interface ITextEncoder
{
    /// <summary>The encoder's configuration.</summary>
    EncoderConfig Config { get; }

    /// <summary>Whether the checkpoint carries a trained pooler (<c>pooler.dense</c>).</summary>
    bool HasPooler { get; }

    /// <summary>Runs the encoder.</summary>
    /// <param name="inputIds">[batch, sequence] int64 token ids.</param>
    /// <param name="attentionMask">[batch, sequence] 1 for tokens, 0 for padding.</param>
    /// <param name="tokenTypeIds">[batch, sequence] segment ids; zeros when null.</param>
    EncoderOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null);
}
