using Google.Protobuf;
using TypedBert.Classification;
using TypedBert.Serialization;

namespace TypedBert.Onnx;

/// <summary>
/// Exports a fine-tuned <see cref="TextClassifier"/> as an ONNX model folder: <c>model.onnx</c> beside the Hugging Face
/// <c>config.json</c> (labels, problem type) and the tokenizer's files, the layout that ONNX Runtime in any language, Hugging Face
/// optimum's <c>ORTModelForSequenceClassification</c> and a Triton model repository read. Written by TypedBert itself; no Python.
/// </summary>
public static class OnnxExport
{
    /// <summary>The name of the graph file in an exported folder.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The serialized ONNX model of <paramref name="classifier"/>.</summary>
    /// <exception cref="NotSupportedException">The architecture cannot be exported (Longformer); the message says why.</exception>
    public static byte[] ToBytes(TextClassifier classifier, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return ClassifierGraphWriter.Write(classifier.Model, options ?? new OnnxExportOptions()).ToByteArray();
    }

    /// <summary>
    /// Writes the folder <paramref name="directory"/>: <c>model.onnx</c>, <c>config.json</c> and the tokenizer's files. The folder is
    /// written atomically: a crash leaves either no folder (or the previous one) or the complete new one.
    /// </summary>
    /// <param name="classifier">The model to export.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="options">Operators and quantization.</param>
    /// <param name="overwrite">Replace a folder that exists; without it an existing folder is an error.</param>
    /// <exception cref="IOException"><paramref name="directory"/> exists and <paramref name="overwrite"/> is false.</exception>
    public static void Export(TextClassifier classifier, string directory, OnnxExportOptions? options = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!overwrite && (Directory.Exists(directory) || File.Exists(directory)))
            throw new IOException($"{directory}: the folder exists; choose another output folder or pass overwrite (typedbert export --force) to replace it");
        byte[] model = ToBytes(classifier, options); // before the folder is touched: a refused architecture writes nothing
        AtomicDirectory.Write(directory, folder =>
        {
            AtomicFile.WriteAllBytes(Path.Combine(folder, ModelFileName), model);
            AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), classifier.Model.Config.ToJson());
            classifier.Tokenizer.Save(folder);
        });
    }
}
