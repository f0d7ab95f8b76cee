using TypedBert.Modeling.Bert;
using TypedBert.Pretrained;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Pretrained;

public sealed class PretrainedLoadingTests
{
    [Fact]
    public void The_default_model_is_imported_once_into_the_Hugging_Face_layout()
    {
        var model = EmbeddedModels.Find(EmbeddedModels.DefaultName)!;
        string folder = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        Assert.Equal(ModelCache.FolderOf(model), folder);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} missing from {folder}");
        Assert.DoesNotContain('\r', File.ReadAllText(Path.Combine(folder, "vocab.txt")));

        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "model.safetensors"));
        Assert.Equal(folder, PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "model.safetensors")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(folder)!, "*.partial-*"));

        using var weights = SafeTensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        Assert.Equal(6 * 16 + 5 + 2, weights.Tensors.Count);
        Assert.Equal(new long[] { 1536, 384 }, weights.Tensors["encoder.layer.5.intermediate.dense.weight"].Shape);
    }

    [Fact]
    public void A_checkpoint_with_the_bert_prefix_and_extra_head_tensors_loads_like_a_downloaded_model()
    {
        using var folder = new TemporaryFolder();
        string source = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        foreach (var file in new[] { "config.json", "vocab.txt", "tokenizer_config.json" })
            File.Copy(Path.Combine(source, file), folder.File(file));
        using var original = PretrainedEncoder.Load(EmbeddedModels.DefaultName);
        using var head = randn(2, 384);
        SafeTensorsWriter.Write(folder.File("model.safetensors"),
            StateDict.Named(original.Model, "bert.").Append(("classifier.weight", head)));

        using var loaded = PretrainedEncoder.Load(folder.Path);
        using var a = original.Encode(["same weights, same output"]);
        using var b = loaded.Encode(["same weights, same output"]);
        Assert.True(a.LastHiddenState.equal(b.LastHiddenState).all().item<bool>());
    }

    /// <summary>The default model's config and vocabulary beside freshly initialised weights of its shape, edited by <paramref name="edit"/>.</summary>
    static void WriteDefaultModelFolder(TemporaryFolder folder, Func<IEnumerable<(string Name, Tensor Tensor)>, IEnumerable<(string Name, Tensor Tensor)>> edit)
    {
        string source = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        foreach (var file in new[] { "config.json", "vocab.txt" }) File.Copy(Path.Combine(source, file), folder.File(file));
        using var model = new BertModel(Modeling.BertModelTests.Tiny with { VocabSize = 30522, HiddenSize = 384, NumAttentionHeads = 12, IntermediateSize = 1536, MaxPositionEmbeddings = 512, NumHiddenLayers = 6 });
        SafeTensorsWriter.Write(folder.File("model.safetensors"), edit(StateDict.Named(model)));
    }

    [Fact]
    public void Missing_and_misshapen_tensors_are_all_named()
    {
        using var folder = new TemporaryFolder();
        using var wrong = zeros(7, 7);
        WriteDefaultModelFolder(folder, tensors => tensors
            .Where(p => p.Name != "encoder.layer.2.output.dense.bias")
            .Select(p => p.Name == "embeddings.LayerNorm.weight" ? (p.Name, wrong) : p)
            .Append(("encoder.layer.9.extra.weight", wrong)));

        var error = Assert.Throws<InvalidDataException>(() => PretrainedEncoder.Load(folder.Path));
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("missing tensor \"encoder.layer.2.output.dense.bias\"", error.Message);
        Assert.Contains("\"embeddings.LayerNorm.weight\" has shape [7, 7], expected [384]", error.Message);
        Assert.Contains("unexpected tensor \"encoder.layer.9.extra.weight\"", error.Message);
    }

    [Fact]
    public void An_integer_tensor_where_a_weight_belongs_is_refused_with_its_name_and_dtype()
    {
        using var folder = new TemporaryFolder();
        using var integers = zeros([384], ScalarType.Int32);
        WriteDefaultModelFolder(folder, tensors => tensors.Select(p => p.Name == "embeddings.LayerNorm.bias" ? (p.Name, integers) : p));

        var error = Assert.Throws<InvalidDataException>(() => PretrainedEncoder.Load(folder.Path));
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("\"embeddings.LayerNorm.bias\" has dtype I32, expected a floating-point type", error.Message);
    }

    [Fact]
    public void Pickle_checkpoints_are_refused_with_a_reason()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Path.Combine(PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName), "config.json"), folder.File("config.json"));
        File.WriteAllBytes(folder.File("pytorch_model.bin"), [0x80, 0x02]);
        var error = Assert.Throws<FileNotFoundException>(() => PretrainedEncoder.Load(folder.Path));
        Assert.Contains("pickle", error.Message);
    }

    [Fact]
    public void A_vocabulary_larger_than_vocab_size_is_refused()
    {
        using var folder = new TemporaryFolder();
        string source = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        File.WriteAllText(folder.File("config.json"), File.ReadAllText(Path.Combine(source, "config.json")).Replace("30522", "1000"));
        File.Copy(Path.Combine(source, "vocab.txt"), folder.File("vocab.txt"));
        File.WriteAllBytes(folder.File("model.safetensors"), []);
        var error = Assert.Throws<InvalidDataException>(() => PretrainedEncoder.Load(folder.Path));
        Assert.Contains("vocab_size = 1000", error.Message);
    }

    [Fact]
    public void A_corrupt_onnx_file_is_refused_with_its_name()
    {
        var model = EmbeddedModels.Find(EmbeddedModels.DefaultName)!;
        byte[] onnx = model.ReadResource(model.OnnxResource);
        var error = Assert.Throws<InvalidDataException>(() => OnnxBertImporter.ReadStateDict(onnx[..(onnx.Length / 3)], "cut.onnx"));
        Assert.Contains("cut.onnx", error.Message);
        error = Assert.Throws<InvalidDataException>(() => OnnxBertImporter.ReadStateDict([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], "garbage.onnx"));
        Assert.Contains("garbage.onnx", error.Message);
    }

    [Fact]
    public void Unknown_names_list_the_known_models()
    {
        // A name that is neither a folder nor an embedded model is looked up on the Hugging Face hub; offline keeps the test off the network.
        using var offline = new Hub.EnvironmentScope(("HF_HUB_OFFLINE", "1"));
        var error = Assert.Throws<DirectoryNotFoundException>(() => PretrainedEncoder.ResolveDirectory("no-such-model"));
        Assert.Contains(EmbeddedModels.DefaultName, error.Message);
    }
}
