using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Onnx;

namespace TypedBert.Tests.Onnx;

/// <summary>
/// A folder written by <see cref="OnnxExport"/> run as it is by transformers.js on Node (<c>pipeline("text-classification", folder)</c>,
/// offline): the same ids as TypedBert's tokenizer, and the scores TypedBert gives for the same texts, from the exported folder
/// (ONNX Runtime in .NET, the same graph: 1e-5) and from the weights it was exported from (libtorch: within the graph's 1e-4).
/// </summary>
public sealed class TransformersJsTests
{
    static readonly string[] Texts =
    [
        "What a wonderful, warm and funny film.",
        "A dull and boring mess; I left early.",
        "Café naïve résumé — 日本語 😍 $1,234.56",
        "",
    ];

    static readonly string[] Pair = ["How old is the universe?", "About 13.8 billion years."];

    public static TheoryData<string> Models() => ["minilm-l6-uncased", "distilbert", "roberta", "albert", "bert-multilabel"];

    static TextClassifier Source(string model)
    {
        var classifier = model == "minilm-l6-uncased"
            ? TextClassifier.FromPretrained(model, ["Negative", "Neutral", "Positive"], seed: 7)
            : TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", model)));
        // A head of standard deviation 1 spreads the scores, so that a wrong graph, pooling or activation cannot hide near 1/labels.
        OnnxExportParityTests.SpreadHeadWeights(classifier);
        return classifier.With(s => s with { Precision = InferencePrecision.Float32 });
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Transformers_js_runs_the_exported_folder_with_TypedBert_ids_and_scores(string model)
    {
        TransformersJs.Require();
        using var folder = new TemporaryFolder();
        string exported = folder.File(model);
        IReadOnlyList<Prediction> libtorch;
        List<int[]> ids;
        using (var classifier = Source(model))
        {
            classifier.ExportOnnx(exported);
            libtorch = classifier.PredictBatch(Texts);
            ids = [.. Texts.Select(t => classifier.Tokenizer.Encode(t).InputIds), classifier.Tokenizer.Encode(Pair[0], Pair[1]).InputIds];
        }
        Assert.True(File.Exists(Path.Combine(exported, "onnx", "model.onnx")));
        Assert.True(File.Exists(Path.Combine(exported, "tokenizer.json")));
        using var loaded = TextClassifier.Load(exported);
        Assert.True(loaded.IsExported);
        var onnx = loaded.PredictBatch(Texts);

        using var js = TransformersJs.Run("classify", exported, [.. Texts, Pair]);
        var encodings = js.RootElement.GetProperty("encodings").EnumerateArray().ToList();
        for (int i = 0; i < ids.Count; i++)
            Assert.Equal(ids[i], encodings[i].GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()));
        var scores = Scores(js.RootElement.GetProperty("scores"));
        Assert.Equal(Texts.Length, scores.Count);
        float spread = libtorch.SelectMany(p => p.Ranked).Max(s => s.Score) - libtorch.SelectMany(p => p.Ranked).Min(s => s.Score);
        Assert.True(spread > 0.2f, $"the scores spread over only {spread}: the test could not tell a wrong graph from a right one");
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(loaded.Labels.Order(StringComparer.Ordinal), scores[i].Keys.Order(StringComparer.Ordinal));
            foreach (var (label, score) in scores[i])
            {
                Assert.True(Math.Abs(score - onnx[i].ScoreOf(label)) <= 1e-5, $"text {i}, {label}: transformers.js {score}, TypedBert (exported folder) {onnx[i].ScoreOf(label)}");
                Assert.True(Math.Abs(score - libtorch[i].ScoreOf(label)) <= 1e-4, $"text {i}, {label}: transformers.js {score}, TypedBert (libtorch) {libtorch[i].ScoreOf(label)}");
            }
        }
    }

    [SkippableFact]
    public void Transformers_js_opens_the_int8_graph_of_an_int8_export_by_itself()
    {
        TransformersJs.Require();
        using var folder = new TemporaryFolder();
        string exported = folder.File("int8");
        using (var classifier = Source("minilm-l6-uncased"))
            classifier.ExportOnnx(exported, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 });
        Assert.True(File.Exists(Path.Combine(exported, "onnx", "model_quantized.onnx")));
        Assert.False(File.Exists(Path.Combine(exported, "onnx", "model.onnx")));
        using var loaded = TextClassifier.Load(exported);
        Assert.Equal(InferenceEngine.OnnxRuntimeInt8, loaded.Engine);
        var onnx = loaded.PredictBatch(Texts);

        using var js = TransformersJs.Run("classify", exported, Texts);
        var scores = Scores(js.RootElement.GetProperty("scores"));
        for (int i = 0; i < Texts.Length; i++)
            foreach (var (label, score) in scores[i])
                Assert.True(Math.Abs(score - onnx[i].ScoreOf(label)) <= 1e-5, $"text {i}, {label}: transformers.js {score}, TypedBert int8 {onnx[i].ScoreOf(label)}");
    }

    /// <summary>The pipeline's answer with <c>top_k: null</c>: for each text, every label with its score.</summary>
    static List<Dictionary<string, float>> Scores(JsonElement answer) =>
        [.. answer.EnumerateArray().Select(text => text.EnumerateArray().ToDictionary(s => s.GetProperty("label").GetString()!, s => s.GetProperty("score").GetSingle()))];
}
