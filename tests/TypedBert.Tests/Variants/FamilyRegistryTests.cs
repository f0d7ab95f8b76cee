using TypedBert.Classification;
using TypedBert.Modeling;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Variants;

/// <summary>What every family's registration provides, read through the code that used to branch on the family.</summary>
public sealed class FamilyRegistryTests
{
    public static TheoryData<string> Families => new(ModelFamily.All.Select(f => f.ModelType));

    [Theory]
    [MemberData(nameof(Families))]
    public void A_pretrained_encoder_of_every_family_loads_and_encodes(string modelType)
    {
        var family = ModelFamily.Find(modelType)!;
        using var folder = new TemporaryFolder();
        TinyVariants.Write(family, folder.Path);

        using var encoder = PretrainedEncoder.Load(folder.Path);
        Assert.Same(family, encoder.Family);
        Assert.Equal(modelType, encoder.Config.ModelType);
        using var output = encoder.Encode(["a good film", "a bad one, too long"]);
        Assert.Equal([2, output.LastHiddenState.shape[1], encoder.Config.HiddenSize], output.LastHiddenState.shape);
        // The BERT-typed views serve the families whose encoder or tokenizer is BERT's and refuse the others with the way out.
        if (encoder.Encoder is not TypedBert.Modeling.Bert.BertModel) Assert.Contains("use Encoder", Assert.Throws<NotSupportedException>(() => encoder.Model).Message);
        if (family.Tokenizer != TokenizerKind.WordPiece) Assert.Contains("use TextTokenizer", Assert.Throws<NotSupportedException>(() => encoder.Tokenizer).Message);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Each_registration_creates_the_classifier_it_names_and_reads_its_own_config_names(string modelType)
    {
        var family = ModelFamily.Find(modelType)!;
        var config = new SequenceClassificationConfig { Encoder = TinyVariants.Config(family, vocabSize: 100), Labels = ["a", "b"] };
        using var model = SequenceClassificationModel.Create(config);
        Assert.Equal(family.ClassifierArchitecture, model.GetType().Name);
        Assert.Same(family, model.Family);

        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "config.json");
        File.WriteAllText(path, config.Encoder.ToJson());
        Assert.Equal(config.Encoder.HiddenSize, EncoderConfig.Load(path).HiddenSize);
        Assert.Equal(config.Encoder.NumHiddenLayers, EncoderConfig.Load(path).NumHiddenLayers);
        Assert.Equal(family.ConfigNames is null, File.ReadAllText(path).Contains("\"hidden_size\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_old_config_name_still_compiles_and_writes_the_same_file()
    {
        var old = new BertConfig { HiddenSize = 64, NumAttentionHeads = 4 };
        EncoderConfig current = new EncoderConfig { HiddenSize = 64, NumAttentionHeads = 4 };
        Assert.Equal(current.ToJson(), old.ToJson());
        Assert.Equal(current.ToJson(), new BertConfig(current).ToJson());
    }
}
