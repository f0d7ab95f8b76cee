using System.Text.Json;

namespace TypedBert.Tests.Cli;

/// <summary><c>typedbert export --quantize int8-static --calibration FILE</c> with the real executable: the folder it writes, and the calibration files it refuses.</summary>
public class StaticInt8ExportCommandTests(TrainedCliModel trained) : IClassFixture<TrainedCliModel>
{
    static readonly string[] Texts = ["What a wonderful film.", "A dull and boring mess."];

    static ProcessResult Typedbert(string folder, params string[] arguments) => CommandLineTests.Typedbert(folder, arguments);

    string[] Labels(string model, params string[] options)
    {
        var predict = Typedbert(trained.Folder, ["predict", "--model", model, "--text", Texts[0], "--text", Texts[1], "--precision", "Float32", "--json", "-", .. options]);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var json = JsonDocument.Parse(predict.StandardOutput);
        return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("label").GetString()!)];
    }

    [Fact]
    public void Export_calibrates_on_the_file_and_the_folder_predicts_with_the_static_graph()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.ToString());
        var export = Typedbert(trained.Folder, "export", "--model", "model", "--output", "static", "--quantize", "int8-static", "--calibration", "train.tsv");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("Int8Static", export.StandardError);
        Assert.True(File.Exists(Path.Combine(trained.Folder, "static", "onnx", "model_int8.onnx")));
        Assert.Equal(Labels("model", "--engine", "torch"), Labels("static"));
        Assert.Equal(Labels("static"), Labels("static", "--engine", "int8-static"));

        // A text several times longer than any calibration row (the training rows are one sentence each) keeps the fp32 label.
        string longText = string.Join(" ", Enumerable.Repeat("What a wonderful film, warm and funny, with a cast that is a delight to watch.", 6));
        var torch = Typedbert(trained.Folder, "predict", "--model", "model", "--text", longText, "--precision", "Float32", "--json", "-");
        var quantized = Typedbert(trained.Folder, "predict", "--model", "static", "--text", longText, "--json", "-");
        Assert.True(torch.ExitCode == 0 && quantized.ExitCode == 0, torch + "\n" + quantized);
        using var expected = JsonDocument.Parse(torch.StandardOutput);
        using var actual = JsonDocument.Parse(quantized.StandardOutput);
        Assert.Equal(expected.RootElement[0].GetProperty("label").GetString(), actual.RootElement[0].GetProperty("label").GetString());
    }

    [Fact]
    public void A_missing_empty_or_foreign_calibration_file_is_refused_naming_the_option_and_the_fix()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.ToString());
        File.WriteAllText(Path.Combine(trained.Folder, "empty.tsv"), "text\tlabel\n");
        File.WriteAllText(Path.Combine(trained.Folder, "news.tsv"), "text\tlabel\nStocks fell sharply on Monday.\tbusiness\nThe home side won 3-1.\tsports\n");
        string[] Export(params string[] extra) => ["export", "--model", "model", "--output", "refused", "--quantize", "int8-static", .. extra];

        var missing = Typedbert(trained.Folder, Export("--calibration", "nowhere.tsv"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--calibration nowhere.tsv: no such file", missing.StandardError);

        var empty = Typedbert(trained.Folder, Export("--calibration", "empty.tsv"));
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("--calibration", empty.StandardError);
        Assert.Contains("no data rows", empty.StandardError);

        var foreign = Typedbert(trained.Folder, Export("--calibration", "news.tsv"));
        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains("--calibration", foreign.StandardError);
        Assert.Contains("business", foreign.StandardError);
        Assert.Contains("model's own task", foreign.StandardError);

        var none = Typedbert(trained.Folder, Export());
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("--quantize int8-static needs --calibration FILE", none.StandardError);

        foreach (var result in new[] { missing, empty, foreign, none }) Assert.DoesNotContain("   at ", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(trained.Folder, "refused")));
    }
}
