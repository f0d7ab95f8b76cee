using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedBert.Serialization;

namespace TypedBert.Search;

/// <summary>
/// The state file of a study (<c>study.json</c>), written atomically after every trial: the JSON goes to a temporary file in the same
/// folder, is flushed, and is renamed over the old one, so a crash at any moment leaves the previous complete state or the new one.
/// </summary>
internal sealed class StudyStore(string path)
{
    /// <summary>Bumped when the meaning of a field changes; other formats are refused with a message.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The state file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Test hook: runs after half of the state has been written to the temporary file, so a test can fail the write there.</summary>
    internal Action? MidWrite { get; set; }

    // Settings hold JSON text of their own; relaxed escaping keeps its quotes readable (the file is never embedded in HTML).
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether a state file exists.</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>Writes <paramref name="state"/>, replacing the previous state only once the new one is complete on disk.</summary>
    public void Save(StudyState state)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(ToJson(state).ToJsonString(Json) + "\n");
        AtomicFile.Write(Path, stream =>
        {
            stream.Write(bytes, 0, bytes.Length / 2);
            MidWrite?.Invoke();
            stream.Write(bytes, bytes.Length / 2, bytes.Length - bytes.Length / 2);
        });
    }

    /// <summary>Reads the state, with each parameter typed by its dimension in <paramref name="space"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a study state this version reads; the message names it.</exception>
    public StudyState Load(SearchSpace space)
    {
        RemoveUnfinishedWrites();
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(Path))!.AsObject();
            int format = root["format"]!.GetValue<int>();
            if (format != CurrentFormat) throw new InvalidDataException($"{Path}: study state format {format}; this TypedBert reads format {CurrentFormat}");
            var settings = root["settings"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
            var direction = Enum.Parse<StudyDirection>(root["direction"]!.GetValue<string>(), ignoreCase: true);
            var trials = root["trials"]!.AsArray().Select(t => ReadTrial(t!.AsObject(), space)).ToList();
            return new StudyState(settings, direction, trials, root["elapsed_seconds"]!.GetValue<double>());
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{Path}: not a TypedBert study state ({e.Message}); move it away to start a new search", e);
        }
    }

    /// <summary>
    /// Deletes the temporary files of writes a killed process never finished (<see cref="AtomicFile"/> names them <c>.study.json.*.tmp</c>);
    /// the state file itself is always the last complete one.
    /// </summary>
    void RemoveUnfinishedWrites()
    {
        string folder = System.IO.Path.GetDirectoryName(Path)!;
        foreach (var leftover in Directory.GetFiles(folder, $".{System.IO.Path.GetFileName(Path)}.*.tmp")) File.Delete(leftover);
    }

    static JsonObject ToJson(StudyState state) => new()
    {
        ["format"] = CurrentFormat,
        ["direction"] = state.Direction.ToString().ToLowerInvariant(),
        ["elapsed_seconds"] = state.ElapsedSeconds,
        ["best_trial"] = state.Best?.Number,
        ["settings"] = new JsonObject(state.Settings.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
        ["trials"] = new JsonArray([.. state.Trials.Select(TrialJson)]),
    };

    static JsonObject TrialJson(Trial trial) => new()
    {
        ["number"] = trial.Number,
        ["state"] = trial.State.ToString().ToLowerInvariant(),
        ["value"] = Number(trial.Value),
        ["parameters"] = new JsonObject(trial.Parameters.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value switch
        {
            double d => Number(d),
            int i => i,
            var other => other.ToString(),
        }))),
        ["intermediate"] = new JsonArray([.. trial.Intermediate.Select(v => new JsonObject { ["step"] = v.Step, ["value"] = Number(v.Value) })]),
        ["seconds"] = trial.Seconds,
        ["error"] = trial.Error,
    };

    // JSON has no NaN or infinity; a diverged evaluation is written as the string "NaN" and read back as the number.
    static JsonNode? Number(double? value) => value is not double d ? null
        : double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture));

    static double ReadNumber(JsonNode node) => node.GetValueKind() == JsonValueKind.String
        ? double.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture) : node.GetValue<double>();

    static Trial ReadTrial(JsonObject json, SearchSpace space)
    {
        var parameters = json["parameters"]!.AsObject().Select(p =>
        {
            var dimension = space.Find(p.Key) ?? throw new FormatException($"parameter {p.Key} is not in the search space");
            return new KeyValuePair<string, object>(p.Key, dimension.Read(JsonSerializer.SerializeToElement(p.Value)));
        });
        return new Trial(
            json["number"]!.GetValue<int>(),
            Enum.Parse<TrialState>(json["state"]!.GetValue<string>(), ignoreCase: true),
            new TrialParameters(parameters),
            json["value"] is { } value ? ReadNumber(value) : null,
            [.. json["intermediate"]!.AsArray().Select(v => new IntermediateValue(v!["step"]!.GetValue<int>(), ReadNumber(v["value"]!)))],
            json["seconds"]!.GetValue<double>(),
            json["error"]?.GetValue<string>());
    }
}
