using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedBert.Classification;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Variants;

/// <summary>
/// The offline half of "TypedBert saves, transformers loads", checked in every run without Python: each fixture folder was written by
/// transformers' <c>save_pretrained</c> (tests/fixtures/generate.py), and its expected.json holds the logits transformers computed from
/// it. TypedBert loads the folder and saves it again; the saved model.safetensors must hold the same tensors under the same names,
/// dtypes and shapes, byte for byte, and config.json every field transformers wrote with the same value. transformers reading
/// TypedBert's folder therefore computes what it computed from its own, and TypedBert's reload of its folder must give those logits.
/// A renamed tensor, a transposed weight, a dropped config field or a changed label order fails here. (Running transformers itself on
/// a TypedBert-saved folder is <c>tests/python/hf_roundtrip.py check</c>, on a machine with Python.)
/// </summary>
public sealed class SavedLayoutTests
{
    public static TheoryData<string> Architectures => PythonFixtureTests.Architectures;

    /// <summary>Fields transformers writes that describe the writer rather than the model.</summary>
    static readonly HashSet<string> WriterFields = ["transformers_version"];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_folder_TypedBert_saves_holds_the_tensors_and_config_transformers_saved(string architecture)
    {
        string original = TestPaths.Fixture(Path.Combine("variants", architecture));
        using var folder = new TemporaryFolder();
        using (var classifier = TextClassifier.Load(original)) classifier.Save(folder.Path);

        SavedTensorsAssert.Same(Path.Combine(original, "model.safetensors"), folder.File("model.safetensors"), "transformers");

        var theirConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(original, "config.json")))!.AsObject();
        var ourConfig = JsonNode.Parse(File.ReadAllText(folder.File("config.json")))!.AsObject();
        foreach (var (key, value) in theirConfig)
        {
            if (WriterFields.Contains(key)) continue;
            Assert.True(ourConfig.ContainsKey(key), $"config.json: TypedBert dropped \"{key}\"");
            Assert.True(JsonNode.DeepEquals(Normalized(value), Normalized(ourConfig[key])), $"config.json \"{key}\": transformers wrote {value?.ToJsonString()}, TypedBert {ourConfig[key]?.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void The_saved_folder_gives_the_logits_transformers_computed(string architecture)
    {
        string original = TestPaths.Fixture(Path.Combine("variants", architecture));
        using var folder = new TemporaryFolder();
        using (var classifier = TextClassifier.Load(original)) classifier.Save(folder.Path);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(original, "expected.json")));
        using var reloaded = TextClassifier.Load(folder.Path);
        Assert.Equal(expected.RootElement.GetProperty("id2label").EnumerateObject().OrderBy(p => int.Parse(p.Name, CultureInfo.InvariantCulture)).Select(p => p.Value.GetString()),
            reloaded.Labels);
        foreach (var item in expected.RootElement.GetProperty("cases").EnumerateArray())
        {
            string text = item.GetProperty("text").GetString()!;
            string? pair = item.TryGetProperty("pair", out var p) ? p.GetString() : null;
            var encoded = reloaded.Tokenizer.Encode(text, pair);
            Assert.Equal(item.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()), encoded.InputIds);
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var ids = tensor(encoded.InputIds.Select(i => (long)i).ToArray()).unsqueeze(0);
            // Python's segments where it had them (transformers 5's ALBERT tokenizer returns none: segment 0 throughout).
            var types = item.TryGetProperty("token_type_ids", out var t) ? tensor(t.EnumerateArray().Select(e => (long)e.GetInt32()).ToArray()).unsqueeze(0) : zeros_like(ids);
            float[] logits = reloaded.Model.Forward(ids, ones_like(ids), types).to(ScalarType.Float32).flatten().data<float>().ToArray();
            float[] wanted = [.. item.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle())];
            float worst = wanted.Zip(logits, (w, g) => Math.Abs(w - g)).Max();
            Assert.True(worst <= 1e-4, $"{architecture} \"{text}\": logits differ from transformers' by {worst}");
        }
    }

    /// <summary>Numbers compared as numbers (transformers writes 1e-12 where TypedBert may write 1E-12).</summary>
    static JsonNode? Normalized(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<double>(out double number) => JsonValue.Create(number),
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Normalized(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normalized)]),
        _ => node?.DeepClone(),
    };
}
