using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedBert.Classification;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Variants;

/// <summary>
/// "TypedBert saves, Python loads", checked in every run: Fixtures/typedbert-saved/bert is a model TypedBert fine-tuned and saved
/// (`typedbert train` on its train.tsv from the transformers-made tiny BERT, see tests/python/README.md), and its expected.json holds
/// the logits that tests/fixtures/bert_reference.py, a second BERT written in plain Python (shown to give transformers' logits on
/// variants/bert within 1e-6), computed from that folder for transformers' input ids. TypedBert must read its own saved folder
/// back to those logits, and saving it again must write the same tensors byte for byte and the same config.json, so a change of
/// the saved layout (a renamed or transposed tensor, a dropped field) fails CI even where no Python runs.
/// </summary>
public sealed class TypedBertSavedFixtureTests
{
    static string Folder => TestPaths.Fixture(Path.Combine("typedbert-saved", "bert"));

    [Fact]
    public void TypedBert_reads_its_saved_fine_tuned_model_to_the_logits_python_computed_from_the_files()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        using var classifier = TextClassifier.Load(Folder);
        Assert.Equal(["negative", "neutral", "positive"], classifier.Labels);
        foreach (var item in expected.RootElement.GetProperty("cases").EnumerateArray())
        {
            // The ids transformers' tokenizer gave (variants/bert/expected.json): the saved vocabulary must give them too.
            string text = item.GetProperty("text").GetString()!;
            var ids = item.GetProperty("input_ids").EnumerateArray().Select(e => (long)e.GetInt32()).ToArray();
            var types = item.GetProperty("token_type_ids").EnumerateArray().Select(e => (long)e.GetInt32()).ToArray();
            if (types.All(t => t == 0)) Assert.Equal(ids, classifier.Tokenizer.Encode(text).InputIds.Select(i => (long)i));

            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var input = tensor(ids).unsqueeze(0);
            var logits = classifier.Model.Forward(input, ones_like(input), tensor(types).unsqueeze(0)).data<float>().ToArray();
            var want = item.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(want.Length, logits.Length);
            for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - logits[i]) <= 1e-4, $"logit {i} of \"{text}\": python {want[i]}, TypedBert {logits[i]}");
        }
    }

    [Fact]
    public void Saving_the_fixture_again_writes_the_same_tensors_and_config()
    {
        using var folder = new TemporaryFolder();
        using (var classifier = TextClassifier.Load(Folder)) classifier.Save(folder.Path);

        SavedTensorsAssert.Same(Path.Combine(Folder, "model.safetensors"), folder.File("model.safetensors"), "the committed fixture");
        var committedConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "config.json")))!.AsObject();
        var savedConfig = JsonNode.Parse(File.ReadAllText(folder.File("config.json")))!.AsObject();
        foreach (var (field, value) in committedConfig)
            Assert.True(JsonNode.DeepEquals(value, savedConfig[field]), $"config.json field \"{field}\": committed {value?.ToJsonString()}, saved {savedConfig[field]?.ToJsonString()}");
        Assert.Equal(committedConfig.Select(p => p.Key).Order(StringComparer.Ordinal), savedConfig.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void Python_computes_the_committed_logits_from_the_folder_TypedBert_saves_now()
    {
        string? python = FindPython();
        Skip.If(python is null, "python3 (standard library only) is not on the PATH: install it (`apt-get install python3`) to run the Python side of this check");
        using var folder = new TemporaryFolder();
        using (var classifier = TextClassifier.Load(Folder)) classifier.Save(folder.Path);
        var start = new ProcessStartInfo(python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { Path.Combine(TestPaths.RepositoryRoot, "tests", "fixtures", "bert_reference.py"), "check", folder.Path, Path.Combine(Folder, "expected.json") })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "bert_reference.py did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"bert_reference.py check: {output}");
    }

    static string? FindPython() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "python3")).FirstOrDefault(File.Exists);
}
