using System.Net;
using System.Net.Http.Json;
using TypedBert.Classification;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>The server on each prediction engine answers the same scores for the same texts (int8 within its quantization error).</summary>
public sealed class EngineTests(SavedModel model) : IClassFixture<SavedModel>
{
    static readonly string[] Texts = ["a wonderful film", "I did not enjoy a single minute of this", "fine"];

    async Task<float[][]> Scores(InferenceEngine engine)
    {
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0", Engine = engine });
        using var response = await server.PostAsync(new { texts = Texts });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<PredictResponse>())!;
        return [.. body.Predictions.Select(p => p.Scores.OrderBy(s => s.Label, StringComparer.Ordinal).Select(s => s.Score).ToArray())];
    }

    [Fact]
    public async Task Every_engine_answers_the_libtorch_scores()
    {
        // The reference is libtorch in fp32: the server's libtorch engine follows the CPU (bf16 where it has a bf16 unit).
        float[][] torch;
        using (var classifier = TextClassifier.Load(model.Path, new PredictionSettings { Precision = InferencePrecision.Float32 }))
        {
            var labels = classifier.Labels.Select((label, id) => (label, id)).OrderBy(p => p.label, StringComparer.Ordinal).Select(p => p.id).ToArray();
            torch = [.. classifier.PredictBatch(Texts).Select(p => labels.Select(id => p.Scores[id]).ToArray())];
        }
        var onnx = await Scores(InferenceEngine.OnnxRuntime);
        var int8 = await Scores(InferenceEngine.OnnxRuntimeInt8);
        for (int i = 0; i < Texts.Length; i++)
            for (int j = 0; j < torch[i].Length; j++)
            {
                Assert.True(Math.Abs(torch[i][j] - onnx[i][j]) < 1e-4, $"text {i}, label {j}: libtorch {torch[i][j]}, ONNX Runtime {onnx[i][j]}");
                Assert.True(Math.Abs(torch[i][j] - int8[i][j]) < 0.05, $"text {i}, label {j}: libtorch {torch[i][j]}, int8 {int8[i][j]}");
            }
    }
}
