using TypedBert.Classification;

namespace TypedBert.Onnx;

/// <summary>
/// The graphs of an exported folder behind a prediction-only <see cref="TextClassifier"/>: which engines the folder offers, the
/// session of each opened from its file, and the messages that refuse what a folder without weights cannot do.
/// </summary>
internal sealed class ExportedClassifier : IExportedGraphs
{
    readonly string directory;
    OnnxRuntimeClassifier? opened; // the session Open needed to read an old-layout graph's quantization, until the classifier takes it

    ExportedClassifier(string directory, Dictionary<InferenceEngine, string> graphs, InferenceEngine defaultEngine, OnnxRuntimeClassifier? opened)
    {
        this.directory = directory;
        Graphs = graphs;
        DefaultEngine = defaultEngine;
        this.opened = opened;
    }

    /// <summary>The graph file of each engine the folder can run.</summary>
    public IReadOnlyDictionary<InferenceEngine, string> Graphs { get; }

    /// <summary>The engine a loaded folder starts with: fp32 when it has that graph, else int8, else static int8.</summary>
    public InferenceEngine DefaultEngine { get; }

    /// <summary>The folder's graphs, or null when <paramref name="directory"/> holds none (it is then not an exported folder).</summary>
    /// <exception cref="InvalidDataException">A graph cannot be opened; the message names the file.</exception>
    public static ExportedClassifier? Open(string directory, int threads)
    {
        var found = ExportedGraphs.Find(directory);
        if (found.Count == 0) return null;
        if (found[0].Engine is null)
        {
            // A model.onnx beside config.json: only its metadata says whether it is fp32 or int8, so it is opened now and kept.
            var session = new OnnxRuntimeClassifier(found[0].Path, threads);
            var engine = ExportedGraphs.EngineOf(session.Quantization);
            return new ExportedClassifier(directory, new() { [engine] = found[0].Path }, engine, session);
        }
        var graphs = found.ToDictionary(g => g.Engine!.Value, g => g.Path);
        var first = graphs.Keys.Min(); // fp32, else int8, else static int8: the enum's order
        // Opened at load, so that a damaged file fails there with its name rather than at the first prediction.
        return new ExportedClassifier(directory, graphs, first, new OnnxRuntimeClassifier(graphs[first], threads));
    }

    /// <inheritdoc />
    public bool Offers(InferenceEngine engine) => Graphs.ContainsKey(engine);

    /// <summary>A session on the graph of <paramref name="engine"/>; the caller owns it.</summary>
    public IInferenceBackend Open(InferenceEngine engine, int threads)
    {
        if (!Graphs.TryGetValue(engine, out var path)) throw NoGraphFor(engine);
        var session = Interlocked.Exchange(ref opened, null);
        if (session is not null && Graphs[DefaultEngine] == path) return session;
        session?.Dispose();
        return new OnnxRuntimeClassifier(path, threads);
    }

    /// <summary>The refusal of whatever needs the weights (training, saving, exporting, libtorch).</summary>
    public InvalidOperationException PredictsOnly() => new(
        $"{directory}: an exported ONNX folder ({Holds()}) predicts only; training, saving and exporting need the classifier folder with model.safetensors that it was exported from");

    /// <summary>The refusal of an engine the folder has no graph for.</summary>
    public InvalidOperationException NoGraphFor(InferenceEngine engine) => new(engine == InferenceEngine.Torch
        ? $"{directory}: an exported ONNX folder ({Holds()}) has no weights for libtorch; run it with {Engines()}, or give the classifier folder with model.safetensors that it was exported from"
        : $"{directory}: this exported ONNX folder has {Holds()} only, no graph for {engine}; run it with {Engines()}, or export the {ExportedGraphs.Kind(engine)} graph too");

    string Holds() => string.Join(" and ", Graphs.Select(g => ExportedGraphs.Describe(g.Key, g.Value, directory)));

    string Engines() => string.Join(" or ", Graphs.Keys.Select(e => e.ToString()));

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref opened, null)?.Dispose();
}
