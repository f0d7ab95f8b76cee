using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Onnx;
using TypedBert.Training.Distillation;

namespace TypedBert.Tests.Training.Distillation;

public class StudentLayersTests
{
    static readonly string[] Texts = ["What a wonderful film.", "A dull and boring mess.", "It was fine, I suppose."];

    [Theory]
    [InlineData(6, 3, new[] { 1, 3, 5 })]
    [InlineData(6, 2, new[] { 2, 5 })]
    [InlineData(12, 4, new[] { 2, 5, 8, 11 })]
    [InlineData(6, 6, new[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData(6, 1, new[] { 5 })]
    public void Layers_are_evenly_spaced_and_end_at_the_top(int source, int student, int[] expected) =>
        Assert.Equal(expected, StudentLayers.EvenlySpaced(source, student));

    [Fact]
    public void More_layers_than_the_source_are_refused_with_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => StudentLayers.EvenlySpaced(6, 7));
        Assert.Contains("ask for 6 or fewer", e.Message);
    }

    static Dictionary<string, float[]> Weights(TextClassifier classifier) =>
        classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());

    [Fact]
    public void A_three_layer_student_holds_the_chosen_teacher_layers_and_loads_in_every_engine()
    {
        using var teacher = TextClassifier.FromPretrained("minilm-l6-uncased", ["negative", "positive"], seed: 7);
        using var student = StudentLayers.Create(teacher, 3).With(s => s with { Precision = InferencePrecision.Float32 }); // the engines are compared in fp32 (Auto is bf16 on CPUs with a bf16 unit)
        Assert.Equal(3, student.Config.Encoder.NumHiddenLayers);
        var t = Weights(teacher);
        var s = Weights(student);
        Assert.Equal(t.Count - 3 * 16, s.Count); // a MiniLM layer has 16 tensors
        int[] chosen = [1, 3, 5];
        foreach (var (name, value) in s)
        {
            var match = System.Text.RegularExpressions.Regex.Match(name, @"^bert\.encoder\.layer\.(\d+)\.(.*)$");
            string teacherName = match.Success ? $"bert.encoder.layer.{chosen[int.Parse(match.Groups[1].Value)]}.{match.Groups[2].Value}" : name;
            Assert.True(value.SequenceEqual(t[teacherName]), $"{name} is not the teacher's {teacherName}");
        }

        string folder = Directory.CreateTempSubdirectory("typedbert-student-").FullName;
        try
        {
            student.Save(Path.Combine(folder, "student"));
            using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "student", "config.json"))))
                Assert.Equal(3, config.RootElement.GetProperty("num_hidden_layers").GetInt32());
            using var loaded = TextClassifier.Load(Path.Combine(folder, "student"), new PredictionSettings { Precision = InferencePrecision.Float32 });
            Assert.Equal(3, loaded.Config.Encoder.NumHiddenLayers);
            var torchScores = loaded.PredictBatch(Texts).Select(p => p.Logits).ToArray();
            var expected = student.PredictBatch(Texts).Select(p => p.Logits).ToArray();
            for (int i = 0; i < Texts.Length; i++) Assert.Equal(expected[i], torchScores[i]);
            // A 3-layer network differs from the 6-layer one it came from.
            using (var teacherFp32 = teacher.WithSettings(teacher.Settings with { Precision = InferencePrecision.Float32 }))
                Assert.NotEqual(teacherFp32.PredictBatch(Texts)[0].Logits, torchScores[0]);

            foreach (var (engine, tolerance) in new[] { (InferenceEngine.OnnxRuntime, 1e-4), (InferenceEngine.OnnxRuntimeInt8, 0.1) })
            {
                using var byEngine = loaded.WithSettings(loaded.Settings with { Engine = engine });
                var scores = byEngine.PredictBatch(Texts).Select(p => p.Logits).ToArray();
                for (int i = 0; i < Texts.Length; i++)
                    for (int k = 0; k < 2; k++)
                        Assert.True(Math.Abs(scores[i][k] - torchScores[i][k]) < tolerance, $"{engine}, text {i}, label {k}: {scores[i][k]} against torch {torchScores[i][k]}");
            }

            // Exported folders of the student (fp32 and int8 graphs) load and predict by themselves.
            foreach (var quantization in new[] { OnnxQuantization.None, OnnxQuantization.Int8 })
            {
                string exported = Path.Combine(folder, $"onnx-{quantization}");
                OnnxExport.Export(loaded, exported, new OnnxExportOptions { Quantization = quantization });
                using var fromOnnx = TextClassifier.Load(exported);
                Assert.Equal(3, fromOnnx.Config.Encoder.NumHiddenLayers);
                var scores = fromOnnx.PredictBatch(Texts).Select(p => p.Logits).ToArray();
                for (int i = 0; i < Texts.Length; i++)
                    for (int k = 0; k < 2; k++)
                        Assert.True(Math.Abs(scores[i][k] - torchScores[i][k]) < (quantization == OnnxQuantization.None ? 1e-4 : 0.1), $"exported {quantization}, text {i}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
