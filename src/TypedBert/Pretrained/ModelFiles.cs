using TypedBert.Modeling;
using TypedBert.Tokenization;

namespace TypedBert.Pretrained;

/// <summary>The files of a Hugging Face model folder.</summary>
public static class ModelFiles
{
    /// <summary>The folder's <c>model.safetensors</c>; pickle checkpoints are refused with the reason.</summary>
    /// <exception cref="FileNotFoundException">No safetensors weights; the message says whether a pickle checkpoint was found instead.</exception>
    public static string RequireSafetensors(string directory)
    {
        string path = Path.Combine(directory, "model.safetensors");
        if (File.Exists(path)) return path;
        throw new FileNotFoundException(File.Exists(Path.Combine(directory, "pytorch_model.bin"))
            ? $"{directory}: only pytorch_model.bin is present; pickle checkpoints can run code when read and are not loaded. Convert it to safetensors first"
            : $"{directory}: no model.safetensors", path);
    }

    /// <summary>The folder's <c>config.json</c>.</summary>
    /// <exception cref="FileNotFoundException">There is none.</exception>
    public static string RequireConfig(string directory)
    {
        string path = Path.Combine(directory, "config.json");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{directory}: no config.json", path);
    }

    /// <summary>The folder's <c>config.json</c> as a BERT configuration; other architectures are refused.</summary>
    /// <exception cref="NotSupportedException">model_type is not <c>bert</c>.</exception>
    public static EncoderConfig LoadBertConfig(string directory)
    {
        string path = RequireConfig(directory);
        var config = EncoderConfig.Load(path);
        if (config.ModelType != "bert")
            throw new NotSupportedException($"{path}: model_type \"{config.ModelType}\" is not supported yet; TypedBert reads \"bert\" models");
        return config;
    }

    /// <summary>The folder's <c>config.json</c>, for any supported architecture (see <see cref="ModelFamily"/>).</summary>
    /// <exception cref="NotSupportedException">model_type is not one TypedBert reads.</exception>
    public static EncoderConfig LoadEncoderConfig(string directory)
    {
        string path = RequireConfig(directory);
        var config = EncoderConfig.Load(path);
        ModelFamily.Of(config, path);
        return config;
    }

    /// <summary>The folder's WordPiece tokenizer, checked against the model's vocabulary size.</summary>
    /// <exception cref="InvalidDataException">vocab.txt has more tokens than the embedding table has rows.</exception>
    public static BertTokenizer LoadTokenizer(string directory, EncoderConfig config) =>
        CheckVocabulary(BertTokenizer.FromDirectory(directory, config.MaxPositionEmbeddings), directory, config);

    /// <summary>The folder's tokenizer of the kind <paramref name="config"/>'s architecture uses, checked against its vocabulary size.</summary>
    /// <exception cref="InvalidDataException">The tokenizer has more tokens than the embedding table has rows.</exception>
    public static ITextTokenizer LoadTextTokenizer(string directory, EncoderConfig config)
    {
        var family = ModelFamily.Of(config, Path.Combine(directory, "config.json"));
        int maxLength = family.UsablePositions(config);
        return CheckVocabulary<ITextTokenizer>(family.Tokenizer switch
        {
            TokenizerKind.ByteLevelBpe => ByteLevelBpeTokenizer.FromDirectory(directory, maxLength, family.TokenizerClass ?? "RobertaTokenizer"),
            TokenizerKind.SentencePiece => SentencePieceTextTokenizer.FromDirectory(directory, maxLength),
            _ => BertTokenizer.FromDirectory(directory, maxLength),
        }, directory, config);
    }

    static T CheckVocabulary<T>(T tokenizer, string directory, EncoderConfig config) where T : ITextTokenizer =>
        tokenizer.VocabularySize <= config.VocabSize ? tokenizer
            : throw new InvalidDataException($"{directory}: the tokenizer has {tokenizer.VocabularySize} tokens, but config.json says vocab_size = {config.VocabSize}");
}
