using System.Text.Json.Serialization;

namespace TypedBert.Hub;

/// <summary>One entry of the hub's tree API: a file or a folder of a repository at a commit.</summary>
internal sealed record HubTreeEntry
{
    /// <summary><c>file</c> or <c>directory</c>.</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "";

    /// <summary>The path from the repository root.</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>Bytes.</summary>
    [JsonPropertyName("size")] public long Size { get; init; }

    public bool IsDirectory => Type == "directory";
}
