using System.Runtime.CompilerServices;
using TypedBert.Classification;

namespace TypedBert.Onnx;

/// <summary>
/// Plugs ONNX Runtime into prediction as the backend of <see cref="InferenceEngine.OnnxRuntime"/> and
/// <see cref="InferenceEngine.OnnxRuntimeInt8"/>: graphs written from a classifier's weights, and exported folders' graphs.
/// </summary>
internal sealed class OnnxRuntimeBackends : IInferenceBackendProvider
{
    /// <summary>Registers the backends when the assembly loads, before any classifier can exist.</summary>
#pragma warning disable CA2255 // A library's module initializer is the point here: it wires an internal plug-in of this same assembly, with no user code involved.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => InferenceBackends.Register(new OnnxRuntimeBackends());

    /// <inheritdoc />
    public IInferenceBackend FromWeights(TextClassifier classifier, InferenceEngine engine, int threads)
    {
        if (engine == InferenceEngine.OnnxRuntimeInt8Static)
            throw new InvalidOperationException("InferenceEngine.OnnxRuntimeInt8Static runs a calibrated graph, which needs texts of the model's task: export it once with "
                + "typedbert export --quantize int8-static --calibration data.tsv (or OnnxExport with OnnxExportOptions.CalibrationTexts) and load the exported folder");
        var options = new OnnxExportOptions { Quantization = engine == InferenceEngine.OnnxRuntimeInt8 ? OnnxQuantization.Int8 : OnnxQuantization.None };
        // Batches without padding (LengthBatches makes them) run a graph without the attention mask, written on the first such batch.
        return new OnnxRuntimeClassifier(OnnxExport.ToBytes(classifier, options), threads, () => OnnxExport.ToBytes(classifier, options with { WithoutAttentionMask = true }));
    }

    /// <inheritdoc />
    public IExportedGraphs? OpenExported(string directory, int threads) => ExportedClassifier.Open(directory, threads);
}
