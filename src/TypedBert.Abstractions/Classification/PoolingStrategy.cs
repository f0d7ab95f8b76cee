namespace TypedBert.Classification;

/// <summary>How one vector per text is taken from the encoder's token vectors before the classifier.</summary>
/// <remarks>
/// <see cref="Pooler"/> is what Hugging Face's <c>BertForSequenceClassification</c> does, and the only choice that Python reproduces.
/// A checkpoint without pooler weights (the <c>arctic-xs-uncased</c> import) gets a freshly initialised pooler that fine-tuning
/// trains, exactly as transformers does. <see cref="Cls"/> and <see cref="Mean"/> skip the pooler; TypedBert records them in
/// <c>config.json</c> as <c>typedbert_pooling</c>, which Python ignores.
/// The source generator compiles this file too (internal there): it reads a search result's <c>pooling</c> by these names.
/// </remarks>
public enum PoolingStrategy
{
    /// <summary>tanh(dense(first token)): BERT's pre-trained pooler (Hugging Face compatible).</summary>
    Pooler,

    /// <summary>The first token's ([CLS]) hidden state as it is.</summary>
    Cls,

    /// <summary>The mean of the hidden states of the real (unpadded) tokens.</summary>
    Mean,
}
