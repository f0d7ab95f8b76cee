namespace TypedBert.Classification;

/// <summary>
/// Where <see cref="TextClassifier"/> finds the engines it does not run itself. The Onnx folder registers ONNX Runtime here when the
/// assembly loads, so that prediction depends on an engine interface and not on the folder that implements it (the layers point down).
/// </summary>
internal static class InferenceBackends
{
    static IInferenceBackendProvider? provider;

    /// <summary>Called once by the provider's module initializer.</summary>
    public static void Register(IInferenceBackendProvider backends) => provider = backends;

    /// <summary>The registered provider.</summary>
    /// <exception cref="InvalidOperationException">None is registered (it always is once the assembly has loaded).</exception>
    public static IInferenceBackendProvider Provider =>
        provider ?? throw new InvalidOperationException("no ONNX Runtime backend is registered; the Onnx folder's module initializer has not run");
}

/// <summary>Makes the backends of engines other than libtorch (ONNX Runtime fp32 and int8).</summary>
internal interface IInferenceBackendProvider
{
    /// <summary>A backend of <paramref name="engine"/> on a graph written from <paramref name="classifier"/>'s current weights.</summary>
    IInferenceBackend FromWeights(TextClassifier classifier, InferenceEngine engine, int threads);

    /// <summary>The graphs of an exported folder, or null when <paramref name="directory"/> holds none.</summary>
    IExportedGraphs? OpenExported(string directory, int threads);
}
