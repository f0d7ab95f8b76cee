using System.Text.Json;

namespace TypedBert.Hub.Datasets;

/// <summary>
/// The column descriptions Hugging Face <c>datasets</c> stores in a Parquet file's key-value metadata under <c>huggingface</c>
/// (<c>{"info": {"features": {"label": {"_type": "ClassLabel", "names": ["neg", "pos"]}}}}</c>): the label names of integer label columns.
/// </summary>
internal static class DatasetFeatures
{
    public const string MetadataKey = "huggingface";

    /// <summary>The ClassLabel names of <paramref name="column"/>, or null when the file does not describe it as a ClassLabel.</summary>
    public static IReadOnlyList<string>? ClassLabelNames(IReadOnlyDictionary<string, string> metadata, string column)
    {
        if (!metadata.TryGetValue(MetadataKey, out var json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            // Older files put "features" at the top, newer ones under "info".
            var holder = root.TryGetProperty("info", out var info) ? info : root;
            if (!holder.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Object) return null;
            if (!features.TryGetProperty(column, out var feature) || feature.ValueKind != JsonValueKind.Object) return null;
            if (!feature.TryGetProperty("_type", out var type) || type.GetString() != "ClassLabel") return null;
            if (!feature.TryGetProperty("names", out var names) || names.ValueKind != JsonValueKind.Array) return null;
            return [.. names.EnumerateArray().Select(n => n.GetString() ?? "")];
        }
        catch (JsonException)
        {
            return null; // a description we cannot read only costs the names; the integer labels still work
        }
    }
}
