using System.Text.Json.Serialization;

namespace TypedBert.Server.Labelling;

/// <summary>Where the page's retrain stands (<c>GET /label/retrain</c>).</summary>
/// <param name="State"><c>idle</c>, <c>training</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="Message">One line for the page: the phase while training, the outcome when done, the reason when failed.</param>
/// <param name="Step">Optimizer steps done (training).</param>
/// <param name="TotalSteps">Optimizer steps planned (training; 0 while unknown).</param>
/// <param name="Method"><c>few-shot</c> or <c>fine-tune</c>, once chosen.</param>
/// <param name="TrainRows">Rows trained on.</param>
/// <param name="HeldOutRows">Rows of the held-out slice.</param>
/// <param name="ServedAccuracy">The served model's accuracy on the held-out slice (done).</param>
/// <param name="NewAccuracy">The new model's accuracy on the held-out slice (done).</param>
/// <param name="Swapped">Done: the new model is served now.</param>
/// <param name="Generation">How many retrained models have been put in service since the server started.</param>
internal sealed record RetrainStatus(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("step")] int Step = 0,
    [property: JsonPropertyName("total_steps")] int TotalSteps = 0,
    [property: JsonPropertyName("method")] string? Method = null,
    [property: JsonPropertyName("train_rows")] int TrainRows = 0,
    [property: JsonPropertyName("held_out_rows")] int HeldOutRows = 0,
    [property: JsonPropertyName("served_accuracy")] double? ServedAccuracy = null,
    [property: JsonPropertyName("new_accuracy")] double? NewAccuracy = null,
    [property: JsonPropertyName("swapped")] bool Swapped = false,
    [property: JsonPropertyName("generation")] int Generation = 0)
{
    public static RetrainStatus Idle { get; } = new("idle", "not retrained since the server started");
}
