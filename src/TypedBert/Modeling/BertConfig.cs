namespace TypedBert.Modeling;

/// <summary>
/// The name <see cref="EncoderConfig"/> had when it served BERT alone, kept so that code written against it still compiles
/// (<c>new BertConfig { HiddenSize = 384 }</c> passed where an <see cref="EncoderConfig"/> is expected). New code uses
/// <see cref="EncoderConfig"/>, which every family's configuration is.
/// </summary>
public sealed record BertConfig : EncoderConfig
{
    /// <summary>BERT-base's defaults, as <see cref="EncoderConfig"/>'s.</summary>
    public BertConfig() { }

    /// <summary>A copy of <paramref name="config"/> under the old name.</summary>
    public BertConfig(EncoderConfig config) : base(config) { }
}
