using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace TypedBert.Tests.Cli;

/// <summary><c>typedbert export</c> and <c>--engine</c> with the real executable, on a model it trained.</summary>
public class ExportCommandTests(TrainedCliModel trained) : IClassFixture<TrainedCliModel>
{
    static ProcessResult Typedbert(string folder, params string[] arguments) => CommandLineTests.Typedbert(folder, arguments);

    [Fact]
    public void Export_writes_a_folder_that_ONNX_Runtime_opens_and_refuses_to_overwrite_without_force()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.ToString());
        var export = Typedbert(trained.Folder, "export", "--model", "model", "--output", "onnx");
        Assert.True(export.ExitCode == 0, export.ToString());
        string folder = Path.Combine(trained.Folder, "onnx");
        foreach (var file in new[] { "model.onnx", "config.json", "vocab.txt", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} missing from the exported folder");
        using (var session = new InferenceSession(Path.Combine(folder, "model.onnx")))
        {
            Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.InputMetadata.Keys);
            Assert.Equal(["logits"], session.OutputMetadata.Keys);
            Assert.Equal([-1, 2], session.OutputMetadata["logits"].Dimensions);
        }
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "model.onnx"));

        var again = Typedbert(trained.Folder, "export", "--model", "model", "--output", "onnx", "--quantize", "int8");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("pass --force to replace it", again.StandardError);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "model.onnx")));

        var forced = Typedbert(trained.Folder, "export", "--model", "model", "--output", "onnx", "--quantize", "int8", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("Int8", forced.StandardError);
        Assert.Empty(Directory.GetDirectories(trained.Folder, ".onnx.*")); // no staging or previous folder left behind
    }

    [Fact]
    public void Predict_gives_the_same_scores_with_every_engine()
    {
        Dictionary<string, double>[] Scores(string engine)
        {
            var predict = Typedbert(trained.Folder, "predict", "--model", "model", "--text", "What a wonderful film.", "--text", "A dull and boring mess.",
                "--engine", engine, "--precision", "Float32", "--json", "-");
            Assert.True(predict.ExitCode == 0, predict.ToString());
            using var json = JsonDocument.Parse(predict.StandardOutput);
            return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))];
        }
        var torch = Scores("torch");
        var onnx = Scores("onnxruntime");
        var int8 = Scores("int8");
        for (int i = 0; i < torch.Length; i++)
            foreach (var (label, score) in torch[i])
            {
                Assert.True(Math.Abs(score - onnx[i][label]) < 1e-4, $"text {i}, {label}: torch {score}, onnxruntime {onnx[i][label]}");
                Assert.True(Math.Abs(score - int8[i][label]) < 0.05, $"text {i}, {label}: torch {score}, int8 {int8[i][label]}");
            }
        var bad = Typedbert(trained.Folder, "predict", "--model", "model", "--text", "x", "--engine", "tensorrt");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("expected one of torch, onnxruntime, int8", bad.StandardError);
    }
}
