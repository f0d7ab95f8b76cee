using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using TypedBert.Classification;
using TypedBert.Serialization;
using TypedBert.Tokenization;

namespace TypedBert.Onnx;

/// <summary>
/// Exports a fine-tuned <see cref="TextClassifier"/> as an ONNX model folder laid out as Hugging Face's ONNX repositories are: the graph
/// in <c>onnx/model.onnx</c> (int8: <c>onnx/model_quantized.onnx</c>), and beside it the <c>config.json</c> (labels, problem type) and
/// the tokenizer's files, <c>tokenizer.json</c> included. transformers.js's <c>pipeline("text-classification", folder)</c>, optimum's
/// <c>ORTModelForSequenceClassification.from_pretrained(folder)</c> (which finds the graph in the subfolder) and TypedBert's own
/// <see cref="TextClassifier.Load(string, PredictionSettings, TorchSharp.torch.Device?)"/> read it as it is. Written by TypedBert itself; no Python.
/// </summary>
public static class OnnxExport
{
    /// <summary>The name of the fp32 graph file (in <see cref="GraphFolder"/>; beside config.json in folders exported before it).</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The name of the int8 graph file, transformers.js's name for an 8-bit graph (its dtype <c>q8</c>).</summary>
    public const string QuantizedModelFileName = "model_quantized.onnx";

    /// <summary>The name of the static (calibrated) int8 graph file, transformers.js's name for its dtype <c>int8</c>.</summary>
    public const string StaticInt8ModelFileName = "model_int8.onnx";

    /// <summary>The subfolder that holds the graph, where transformers.js looks for it.</summary>
    public const string GraphFolder = "onnx";

    /// <summary>Where in an exported folder the graph of <paramref name="quantization"/> is: <c>onnx/model.onnx</c>, <c>onnx/model_quantized.onnx</c> or <c>onnx/model_int8.onnx</c>.</summary>
    public static string GraphPath(OnnxQuantization quantization) => Path.Combine(GraphFolder, quantization switch
    {
        OnnxQuantization.Int8 => QuantizedModelFileName,
        OnnxQuantization.Int8Static => StaticInt8ModelFileName,
        _ => ModelFileName,
    });

    /// <summary>The serialized ONNX model of <paramref name="classifier"/>.</summary>
    /// <exception cref="NotSupportedException">The architecture cannot be exported (Longformer); the message says why.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="classifier"/> was itself loaded from an exported folder.</exception>
    /// <exception cref="ArgumentException"><see cref="OnnxQuantization.Int8Static"/> without <see cref="OnnxExportOptions.CalibrationTexts"/>.</exception>
    public static byte[] ToBytes(TextClassifier classifier, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        options ??= new OnnxExportOptions();
        if (options.Quantization == OnnxQuantization.Int8Static) return StaticCalibration.Write(classifier, options).ToByteArray();
        return ClassifierGraphWriter.Write(classifier.Model, options).ToByteArray();
    }

    /// <summary>
    /// Writes the folder <paramref name="directory"/>: the graph (see <see cref="GraphPath"/>), <c>config.json</c>, <c>tokenizer.json</c>
    /// and the tokenizer's own files. The folder is written atomically: a crash leaves either no folder (or the previous one) or the
    /// complete new one.
    /// </summary>
    /// <param name="classifier">The model to export.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="options">Operators and quantization.</param>
    /// <param name="overwrite">Replace a folder that exists; without it an existing folder is an error.</param>
    /// <exception cref="IOException"><paramref name="directory"/> exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="classifier"/> was itself loaded from an exported folder.</exception>
    public static void Export(TextClassifier classifier, string directory, OnnxExportOptions? options = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= new OnnxExportOptions();
        if (!overwrite && (Directory.Exists(directory) || File.Exists(directory)))
            throw new IOException($"{directory}: the folder exists; choose another output folder or pass overwrite (typedbert export --force) to replace it");
        byte[] model = ToBytes(classifier, options); // before the folder is touched: a refused architecture writes nothing
        string tokenizerJson = TokenizerJsonWriter.ToJson(classifier.Tokenizer);
        AtomicDirectory.Write(directory, folder =>
        {
            Directory.CreateDirectory(Path.Combine(folder, GraphFolder));
            AtomicFile.WriteAllBytes(Path.Combine(folder, GraphPath(options.Quantization)), model);
            AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson(classifier, options));
            classifier.Tokenizer.Save(folder);
            AtomicFile.WriteAllText(Path.Combine(folder, TokenizerJson.FileName), tokenizerJson);
        });
    }

    /// <summary>
    /// The classifier's config.json (with its long-text settings, so that the folder predicts as the model did), plus the dtype that
    /// tells transformers.js which graph file to open: its default is fp32 in Node but q8 in a browser, and the folder holds one.
    /// </summary>
    static string ConfigJson(TextClassifier classifier, OnnxExportOptions options)
    {
        var root = JsonNode.Parse(classifier.SavedConfig().ToJson())!.AsObject();
        root["transformers.js_config"] = new JsonObject
        {
            ["dtype"] = options.Quantization switch { OnnxQuantization.Int8 => "q8", OnnxQuantization.Int8Static => "int8", _ => "fp32" },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
