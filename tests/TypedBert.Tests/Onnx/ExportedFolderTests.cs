using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Onnx;
using TypedBert.Training;

namespace TypedBert.Tests.Onnx;

/// <summary>
/// <see cref="TextClassifier.Load(string, PredictionSettings, TorchSharp.torch.Device?)"/> on a folder written by <see cref="OnnxExport"/>: a classifier that predicts and evaluates with ONNX
/// Runtime on the folder's graph, gives the scores of the weights it was exported from, and refuses what needs weights with the reason.
/// </summary>
public sealed class ExportedFolderTests
{
    static readonly string[] Texts = ["What a wonderful film.", "A dull and boring mess.", "Café 日本語 😍"];

    static TextClassifier Source()
    {
        var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        OnnxExportParityTests.SpreadHeadWeights(classifier);
        return classifier.With(s => s with { Precision = InferencePrecision.Float32 });
    }

    static void AssertSameScores(IReadOnlyList<Prediction> expected, IReadOnlyList<Prediction> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            foreach (var score in expected[i].Ranked)
                Assert.True(Math.Abs(score.Score - actual[i].ScoreOf(score.Label)) <= tolerance, $"text {i}, {score.Label}: {score.Score} against {actual[i].ScoreOf(score.Label)}");
    }

    [Fact]
    public void An_exported_folder_loads_and_predicts_and_evaluates_as_the_weights_it_came_from()
    {
        using var folder = new TemporaryFolder();
        string exported = folder.File("exported");
        IReadOnlyList<Prediction> expected;
        EvaluationResult expectedEvaluation;
        var examples = Texts.Select((t, i) => TrainingExample.ForLabel(t, i % 3)).ToList();
        using (var classifier = Source())
        {
            classifier.ExportOnnx(exported);
            expected = classifier.PredictBatch(Texts);
            expectedEvaluation = Evaluation.Run(classifier, examples);
        }
        Assert.False(File.Exists(Path.Combine(exported, "model.safetensors")));

        using var loaded = TextClassifier.Load(exported);
        Assert.True(loaded.IsExported);
        Assert.Equal(InferenceEngine.OnnxRuntime, loaded.Engine);
        Assert.Equal(["negative", "neutral", "positive"], loaded.Labels);
        AssertSameScores(expected, loaded.PredictBatch(Texts), 1e-4);
        var evaluation = Evaluation.Run(loaded, examples);
        Assert.Equal(expectedEvaluation.Loss, evaluation.Loss, 3);
    }

    [Fact]
    public void An_exported_folder_refuses_libtorch_training_saving_and_export_with_the_reason()
    {
        using var folder = new TemporaryFolder();
        string exported = folder.File("exported");
        using (var classifier = Source()) classifier.ExportOnnx(exported);
        using var loaded = TextClassifier.Load(exported);

        var engine = Assert.Throws<InvalidOperationException>(() => TextClassifier.Load(exported, new PredictionSettings { Engine = InferenceEngine.Torch }));
        Assert.Contains(exported, engine.Message);
        Assert.Contains("onnx/model.onnx (fp32)", engine.Message);
        Assert.Contains("model.safetensors", engine.Message);
        var int8 = Assert.Throws<InvalidOperationException>(() => loaded.WithSettings(loaded.Settings with { Engine = InferenceEngine.OnnxRuntimeInt8 }));
        Assert.Contains("no graph for OnnxRuntimeInt8", int8.Message);
        Assert.Equal(InferenceEngine.OnnxRuntime, loaded.Engine);

        foreach (var refused in new Action[] { () => loaded.Save(folder.File("saved")), () => loaded.ExportOnnx(folder.File("again")), () => _ = loaded.Model })
        {
            var error = Assert.Throws<InvalidOperationException>(refused);
            Assert.Contains("an exported ONNX folder", error.Message);
            Assert.Contains("predicts only", error.Message);
        }
        Assert.False(Directory.Exists(folder.File("saved")));
    }

    [Fact]
    public void An_int8_export_runs_its_int8_graph_and_a_folder_with_both_graphs_runs_either()
    {
        using var folder = new TemporaryFolder();
        string exported = folder.File("exported");
        IReadOnlyList<Prediction> int8Expected;
        using (var classifier = Source())
        {
            using (var int8Engine = classifier.WithSettings(classifier.Settings with { Engine = InferenceEngine.OnnxRuntimeInt8 }))
                int8Expected = int8Engine.PredictBatch(Texts);
            classifier.ExportOnnx(exported, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 });
            classifier.ExportOnnx(folder.File("fp32"));
        }
        using (var int8 = TextClassifier.Load(exported))
        {
            Assert.Equal(InferenceEngine.OnnxRuntimeInt8, int8.Engine);
            AssertSameScores(int8Expected, int8.PredictBatch(Texts), 1e-5);
        }

        File.Copy(Path.Combine(folder.File("fp32"), "onnx", "model.onnx"), Path.Combine(exported, "onnx", "model.onnx"));
        using var both = TextClassifier.Load(exported);
        Assert.Equal(InferenceEngine.OnnxRuntime, both.Engine);
        var fp32 = both.PredictBatch(Texts);
        using var bothInt8 = TextClassifier.Load(exported, new PredictionSettings { Engine = InferenceEngine.OnnxRuntimeInt8 });
        AssertSameScores(int8Expected, bothInt8.PredictBatch(Texts), 1e-5);
        Assert.NotEqual(fp32[0].Ranked[0].Score, bothInt8.PredictBatch(Texts)[0].Ranked[0].Score);
    }

    [Fact]
    public void A_folder_exported_before_the_onnx_subfolder_still_loads_with_its_graphs_engine()
    {
        using var folder = new TemporaryFolder();
        string exported = folder.File("exported");
        IReadOnlyList<Prediction> expected;
        using (var classifier = Source())
        {
            using (var int8Engine = classifier.WithSettings(classifier.Settings with { Engine = InferenceEngine.OnnxRuntimeInt8 }))
                expected = int8Engine.PredictBatch(Texts);
            classifier.ExportOnnx(exported, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 });
        }
        // The old layout: the graph as model.onnx beside config.json, whatever its quantization.
        File.Move(Path.Combine(exported, "onnx", "model_quantized.onnx"), Path.Combine(exported, "model.onnx"));
        Directory.Delete(Path.Combine(exported, "onnx"));
        using var loaded = TextClassifier.Load(exported);
        Assert.Equal(InferenceEngine.OnnxRuntimeInt8, loaded.Engine);
        AssertSameScores(expected, loaded.PredictBatch(Texts), 1e-5);
    }

    [Fact]
    public void A_damaged_graph_is_refused_at_load_with_the_files_name()
    {
        using var folder = new TemporaryFolder();
        string exported = folder.File("exported");
        using (var classifier = Source()) classifier.ExportOnnx(exported);
        string graph = Path.Combine(exported, "onnx", "model.onnx");
        File.WriteAllBytes(graph, [1, 2, 3, 4]);
        var error = Assert.Throws<InvalidDataException>(() => TextClassifier.Load(exported));
        Assert.Contains(graph, error.Message);
    }

    [Fact]
    public void The_export_writes_the_transformers_js_dtype_of_its_graph_and_the_long_text_settings()
    {
        using var folder = new TemporaryFolder();
        using var classifier = Source().With(s => s with { LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, Stride = 16 } });
        classifier.ExportOnnx(folder.File("fp32"));
        classifier.ExportOnnx(folder.File("int8"), new OnnxExportOptions { Quantization = OnnxQuantization.Int8 });
        using var fp32 = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.File("fp32"), "config.json")));
        using var int8 = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.File("int8"), "config.json")));
        Assert.Equal("fp32", fp32.RootElement.GetProperty("transformers.js_config").GetProperty("dtype").GetString());
        Assert.Equal("q8", int8.RootElement.GetProperty("transformers.js_config").GetProperty("dtype").GetString());
        using var loaded = TextClassifier.Load(folder.File("fp32"));
        Assert.Equal(LongTextStrategy.SlidingWindow, loaded.LongText.Strategy);
        Assert.Equal(16, loaded.LongTextSettingsFor(null).Stride);
    }
}
