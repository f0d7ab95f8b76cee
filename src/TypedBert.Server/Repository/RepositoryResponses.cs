using System.Text.Json.Serialization;

namespace TypedBert.Server.Repository;

/// <summary>The answer of <c>GET /models</c>.</summary>
/// <param name="Models">The models in service, by name.</param>
/// <param name="Problems">Folders of the repository that break its layout (relative to it), as of the last scan; they are not served.</param>
internal sealed record ModelsResponse(
    [property: JsonPropertyName("models")] IReadOnlyList<RepositoryModelInfo> Models,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems);

/// <summary>One repository model.</summary>
/// <param name="Name">Its folder's name, as in <c>/models/{name}/predict</c>.</param>
/// <param name="Version">The version in service.</param>
/// <param name="Labels">Its labels in id order.</param>
/// <param name="LoadedAt">When that version was put in service.</param>
/// <param name="Refused">The last newer version that could not be put in service, and why; null when none.</param>
internal sealed record RepositoryModelInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("loaded_at")] DateTimeOffset LoadedAt,
    [property: JsonPropertyName("refused")] RefusedVersionInfo? Refused);

/// <summary>A version not put in service.</summary>
internal sealed record RefusedVersionInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("error")] string Error);
