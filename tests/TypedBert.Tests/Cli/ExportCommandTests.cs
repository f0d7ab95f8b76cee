using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace TypedBert.Tests.Cli;

/// <summary><c>typedbert export</c> and <c>--engine</c> with the real executable, on a model it trained, and predict, eval and serve on the exported folder.</summary>
public class ExportCommandTests(TrainedCliModel trained) : IClassFixture<TrainedCliModel>
{
    static readonly string[] Texts = ["What a wonderful film.", "A dull and boring mess."];

    static ProcessResult Typedbert(string folder, params string[] arguments) => CommandLineTests.Typedbert(folder, arguments);

    Dictionary<string, double>[] Scores(string model, params string[] options)
    {
        var predict = Typedbert(trained.Folder, ["predict", "--model", model, "--text", Texts[0], "--text", Texts[1], "--precision", "Float32", "--json", "-", .. options]);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var json = JsonDocument.Parse(predict.StandardOutput);
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))];
    }

    static void AssertClose(Dictionary<string, double>[] expected, Dictionary<string, double>[] actual, double tolerance, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            foreach (var (label, score) in expected[i])
                Assert.True(Math.Abs(score - actual[i][label]) < tolerance, $"{what}, text {i}, {label}: {score} against {actual[i][label]}");
    }

    static void AssertOneLineRefusal(ProcessResult result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError); // no stack trace
    }

    [Fact]
    public void Export_writes_a_folder_that_predict_and_eval_read_and_refuses_to_overwrite_without_force()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.ToString());
        var export = Typedbert(trained.Folder, "export", "--model", "model", "--output", "onnx");
        Assert.True(export.ExitCode == 0, export.ToString());
        string folder = Path.Combine(trained.Folder, "onnx");
        foreach (var file in new[] { "onnx/model.onnx", "config.json", "tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} missing from the exported folder");
        Assert.False(File.Exists(Path.Combine(folder, "model.safetensors")));
        using (var session = new InferenceSession(Path.Combine(folder, "onnx", "model.onnx")))
        {
            Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.InputMetadata.Keys);
            Assert.Equal(["logits"], session.OutputMetadata.Keys);
            Assert.Equal([-1, 2], session.OutputMetadata["logits"].Dimensions);
        }

        // The exported folder predicts by itself, on ONNX Runtime, with the scores of the weights it came from.
        AssertClose(Scores("model", "--engine", "onnxruntime"), Scores("onnx"), 1e-5, "predict on the exported folder");
        AssertClose(Scores("model"), Scores("onnx", "--engine", "ONNXRUNTIME"), 1e-4, "torch against the exported folder");
        var evalSaved = Typedbert(trained.Folder, "eval", "--model", "model", "--data", "dev.tsv", "--engine", "onnxruntime", "--json", "-");
        var evalExported = Typedbert(trained.Folder, "eval", "--model", "onnx", "--data", "dev.tsv", "--json", "-");
        Assert.True(evalExported.ExitCode == 0, evalExported.ToString());
        using (var saved = JsonDocument.Parse(evalSaved.StandardOutput))
        using (var exported = JsonDocument.Parse(evalExported.StandardOutput))
            Assert.Equal(saved.RootElement.GetProperty("loss").GetDouble(), exported.RootElement.GetProperty("loss").GetDouble(), 4);
        AssertOneLineRefusal(Typedbert(trained.Folder, "predict", "--model", "onnx", "--text", "x", "--engine", "torch"), "has no weights for libtorch");
        AssertOneLineRefusal(Typedbert(trained.Folder, "eval", "--model", "onnx", "--data", "dev.tsv", "--engine", "int8"), "no graph for OnnxRuntimeInt8");

        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "onnx", "model.onnx"));
        var again = Typedbert(trained.Folder, "export", "--model", "model", "--output", "onnx", "--quantize", "int8");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("pass --force to replace it", again.StandardError);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "onnx", "model.onnx")));

        var forced = Typedbert(trained.Folder, "export", "--model", "model", "--output", "onnx", "--quantize", "int8", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("Int8", forced.StandardError);
        Assert.True(File.Exists(Path.Combine(folder, "onnx", "model_quantized.onnx")));
        Assert.Empty(Directory.GetDirectories(trained.Folder, ".onnx.*")); // no staging or previous folder left behind
        AssertClose(Scores("model", "--engine", "int8"), Scores("onnx"), 1e-5, "predict on the int8 export");

        AssertOneLineRefusal(Typedbert(trained.Folder, "export", "--model", "onnx", "--output", "again"), "predicts only");
    }

    [Fact]
    public void Predict_gives_the_same_scores_with_every_engine_and_every_spelling()
    {
        var torch = Scores("model", "--engine", "torch");
        var onnx = Scores("model", "--engine", "onnxruntime");
        AssertClose(torch, onnx, 1e-4, "onnxruntime");
        AssertClose(torch, Scores("model", "--engine", "int8"), 0.05, "int8");
        // The help text and InferenceEngine spell it OnnxRuntimeInt8; any case is accepted.
        AssertClose(Scores("model", "--engine", "int8"), Scores("model", "--engine", "OnnxRuntimeInt8"), 1e-6, "OnnxRuntimeInt8");
        AssertClose(onnx, Scores("model", "--engine", "OnnxRuntime"), 1e-6, "OnnxRuntime");
        AssertClose(torch, Scores("model", "--engine", "Torch"), 1e-6, "Torch");
        var bad = Typedbert(trained.Folder, "predict", "--model", "model", "--text", "x", "--engine", "tensorrt");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("expected one of torch, onnxruntime, int8 (also spelled OnnxRuntimeInt8)", bad.StandardError);
    }

    [Fact]
    public async Task Serve_answers_from_an_exported_folder_and_refuses_torch_for_it()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.ToString());
        var export = Typedbert(trained.Folder, "export", "--model", "model", "--output", "served", "--force");
        Assert.True(export.ExitCode == 0, export.ToString());
        var expected = Scores("served");
        AssertOneLineRefusal(Typedbert(trained.Folder, "serve", "--model", "served", "--urls", "http://127.0.0.1:0", "--engine", "torch"), "has no weights for libtorch");

        await using var server = ServeProcess.Start(trained.Folder, "served");
        Uri address = await server.Listening(TimeSpan.FromMinutes(3));
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(3) };
        using var response = await client.PostAsync("/predict", new StringContent(JsonSerializer.Serialize(new { texts = Texts }), Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}\n{server.Log}");
        using var json = JsonDocument.Parse(body);
        var served = json.RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("scores").EnumerateArray().ToDictionary(s => s.GetProperty("label").GetString()!, s => s.GetProperty("score").GetDouble())).ToArray();
        AssertClose(expected, served, 1e-5, "serve on the exported folder");
    }
}
