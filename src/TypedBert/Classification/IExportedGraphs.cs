namespace TypedBert.Classification;

/// <summary>
/// The graphs of a folder exported for prediction only, behind a <see cref="TextClassifier"/> without weights: which engines it offers,
/// a backend for each, and the messages that refuse what a folder without weights cannot do.
/// </summary>
internal interface IExportedGraphs : IDisposable
{
    /// <summary>The engine a loaded folder runs unless the settings name another.</summary>
    InferenceEngine DefaultEngine { get; }

    /// <summary>Whether the folder holds a graph for <paramref name="engine"/>.</summary>
    bool Offers(InferenceEngine engine);

    /// <summary>A backend on the graph of <paramref name="engine"/>; the caller owns it.</summary>
    IInferenceBackend Open(InferenceEngine engine, int threads);

    /// <summary>The refusal of whatever needs the weights (training, saving, exporting, libtorch).</summary>
    InvalidOperationException PredictsOnly();

    /// <summary>The refusal of an engine the folder has no graph for.</summary>
    InvalidOperationException NoGraphFor(InferenceEngine engine);
}
