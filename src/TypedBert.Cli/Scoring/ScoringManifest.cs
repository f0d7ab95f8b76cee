using System.Text.Json;
using System.Text.Json.Serialization;
using TypedBert.Cli.Errors;
using TypedBert.Serialization;

namespace TypedBert.Cli.Scoring;

/// <summary>
/// What a run of <c>predict --input</c> scores, saved beside its chunks (<c>OUTPUT.parts/manifest.json</c>): a resumed run must score
/// the same input (same size and modification time), shard, chunk size and model, or the chunks already written would not fit.
/// </summary>
internal sealed record ScoringManifest(
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("input_bytes")] long InputBytes,
    [property: JsonPropertyName("input_modified_utc_ticks")] long InputModified,
    [property: JsonPropertyName("records")] long Records,
    [property: JsonPropertyName("chunk_size")] int ChunkSize,
    [property: JsonPropertyName("shard")] string Shard,
    [property: JsonPropertyName("model")] string Model)
{
    const string FileName = "manifest.json";

    public static (long Bytes, long Modified) Stamp(string input)
    {
        var info = new FileInfo(input);
        return (info.Length, info.LastWriteTimeUtc.Ticks);
    }

    /// <summary>Saves this manifest, or checks it against the one saved by the run being resumed.</summary>
    public void SaveOrCheck(string parts)
    {
        string path = Path.Combine(parts, FileName);
        if (!File.Exists(path))
        {
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this));
            return;
        }
        var saved = JsonSerializer.Deserialize<ScoringManifest>(File.ReadAllText(path))
            ?? throw CliException.BadInput($"{path}: empty; delete {parts} to score from the start");
        var differences = new List<string>();
        if (saved.Input != Input) differences.Add($"input {saved.Input} then, {Input} now");
        if (saved.InputBytes != InputBytes || saved.InputModified != InputModified)
            differences.Add($"{Input} has changed since (size {saved.InputBytes:N0} -> {InputBytes:N0} bytes, modified {new DateTime(saved.InputModified, DateTimeKind.Utc):u} -> {new DateTime(InputModified, DateTimeKind.Utc):u})");
        if (saved.ChunkSize != ChunkSize) differences.Add($"--chunk-size {saved.ChunkSize} then, {ChunkSize} now");
        if (saved.Shard != Shard) differences.Add($"--shard {saved.Shard} then, {Shard} now");
        if (saved.Model != Model) differences.Add($"--model {saved.Model} then, {Model} now");
        if (differences.Count > 0)
            throw CliException.BadInput($"{parts} holds chunks of another scoring run: {string.Join("; ", differences)}. "
                + $"Delete {parts} to score from the start, or run the same command again");
    }
}
