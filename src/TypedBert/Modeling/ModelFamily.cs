using TypedBert.Classification;
using TypedBert.Modeling.Albert;
using TypedBert.Modeling.Bert;
using TypedBert.Modeling.DistilBert;
using TypedBert.Modeling.Longformer;
using TypedBert.Modeling.Roberta;

namespace TypedBert.Modeling;

/// <summary>
/// One supported architecture, chosen by <c>model_type</c> in <c>config.json</c>, in the spirit of transformers' Auto mappings:
/// everything the rest of TypedBert needs to know about it, so that no other code branches on the family. Each family
/// declares itself in its folder (<c>Modeling/Bert/BertRegistration.cs</c>, ...) and is listed once in <see cref="All"/>;
/// docs/architecture.md walks through adding one.
/// </summary>
/// <param name="ModelType">The <c>model_type</c> value.</param>
/// <param name="EncoderPrefix">Prefix of the encoder's tensors in a task checkpoint (<c>roberta.</c>).</param>
/// <param name="ClassifierArchitecture">The <c>architectures</c> entry of a saved classifier.</param>
/// <param name="Tokenizer">The tokenizer kind.</param>
/// <param name="PositionsAfterPadding">Whether position ids count from the padding index + 1, as RoBERTa's do; the table's first
/// pad_token_id + 1 rows then never serve a real token.</param>
public sealed record ModelFamily(string ModelType, string EncoderPrefix, string ClassifierArchitecture, TokenizerKind Tokenizer, bool PositionsAfterPadding = false)
{
    /// <summary>BERT (and BERT-large, which differs only in its configuration).</summary>
    public static readonly ModelFamily Bert = BertRegistration.Create();
    /// <summary>DistilBERT.</summary>
    public static readonly ModelFamily DistilBert = DistilBertRegistration.Create();
    /// <summary>RoBERTa.</summary>
    public static readonly ModelFamily Roberta = RobertaRegistration.Create();
    /// <summary>ALBERT.</summary>
    public static readonly ModelFamily Albert = AlbertRegistration.Create();
    /// <summary>Longformer.</summary>
    public static readonly ModelFamily Longformer = LongformerRegistration.Create();

    /// <summary>Every supported family: the one registration a new architecture adds.</summary>
    public static IReadOnlyList<ModelFamily> All { get; } = [Bert, DistilBert, Roberta, Albert, Longformer];

    /// <summary>The encoder of a configuration, randomly initialised; the flag asks for a pooler where the family has one.</summary>
    /// <remarks>Not a C# <c>required</c> member (those cannot be internal in a public type); a registration without one fails when used.</remarks>
    internal Func<EncoderConfig, bool, ITextEncoder> CreateEncoder { get; init; } = (config, _) => throw Unregistered(config, "an encoder");

    /// <summary>The layout the ONNX exporter writes, or null when the family cannot be exported (<see cref="NoOnnxGraphReason"/> says why).</summary>
    internal OnnxGraphLayout? OnnxGraph { get; init; }

    /// <summary>Why the family has no <see cref="OnnxGraph"/>, for the exporter's error; null for the generic message.</summary>
    internal string? NoOnnxGraphReason { get; init; }

    /// <summary>The sequence classifier (encoder and head) of a configuration, randomly initialised.</summary>
    internal Func<SequenceClassificationConfig, SequenceClassificationModel> CreateClassifier { get; init; } =
        config => throw Unregistered(config.Encoder, "a sequence classifier");

    static NotSupportedException Unregistered(EncoderConfig config, string what) =>
        new($"the \"{config.ModelType}\" family's registration does not create {what}");

    /// <summary>Path of the layer list inside the encoder, whose items <c>FreezeLayers</c> freezes and layer-wise decay scales.</summary>
    public string LayerPath { get; init; } = "encoder.layer";

    /// <summary>The <c>tokenizer_class</c> written beside a byte-level BPE vocabulary (transformers picks the tokenizer by it).</summary>
    public string? TokenizerClass { get; init; }

    /// <summary>
    /// How the family's <c>config.json</c> names the common hyperparameters, when not as BERT does (DistilBERT's <c>dim</c>,
    /// <c>n_layers</c>, ...); null for BERT's names.
    /// </summary>
    internal IConfigFieldNames? ConfigNames { get; init; }

    /// <summary>Hub checkpoints of the family that the source generator's compile-time checks know (its ModelCatalog agrees, by test).</summary>
    internal IReadOnlyList<KnownCheckpoint> KnownCheckpoints { get; init; } = [];

    /// <summary>The longest input the position table serves, special tokens included (514 rows give RoBERTa 512 tokens).</summary>
    public int UsablePositions(EncoderConfig config) => PositionsAfterPadding ? config.MaxPositionEmbeddings - config.PadTokenId - 1 : config.MaxPositionEmbeddings;

    /// <summary>The files the tokenizer reads; a model folder needs all of them.</summary>
    public IReadOnlyList<string> TokenizerFiles => Tokenizer switch
    {
        TokenizerKind.ByteLevelBpe => ["vocab.json", "merges.txt"],
        TokenizerKind.SentencePiece => ["spiece.model"],
        _ => ["vocab.txt"],
    };

    /// <summary>The family whose <c>model_type</c> is <paramref name="modelType"/>, or null.</summary>
    public static ModelFamily? Find(string? modelType) => All.FirstOrDefault(f => f.ModelType == modelType);

    /// <summary>The family of <paramref name="config"/>.</summary>
    /// <exception cref="NotSupportedException">model_type is none of the supported ones; the message names <paramref name="source"/>.</exception>
    public static ModelFamily Of(EncoderConfig config, string source) =>
        Find(config.ModelType)
        ?? throw new NotSupportedException($"{source}: model_type \"{config.ModelType}\" is not supported; TypedBert reads {string.Join(", ", All.Select(f => f.ModelType))}");
}
