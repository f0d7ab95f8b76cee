using TypedBert.Classification;

namespace TypedBert.Onnx;

/// <summary><c>classifier.ExportOnnx(folder)</c>: the export as a member of the classifier, for code that has one at hand.</summary>
public static class TextClassifierOnnxExtensions
{
    extension(TextClassifier classifier)
    {
        /// <summary>
        /// Writes the folder <paramref name="directory"/> that ONNX Runtime, optimum or Triton can serve: <c>model.onnx</c>,
        /// <c>config.json</c> and the tokenizer's files, atomically (see <see cref="OnnxExport.Export"/>).
        /// </summary>
        /// <param name="directory">The output folder.</param>
        /// <param name="options">Operators and quantization; ONNX Runtime's fused operators in fp32 when null.</param>
        /// <param name="overwrite">Replace a folder that exists; without it an existing folder is an error.</param>
        /// <exception cref="IOException"><paramref name="directory"/> exists and <paramref name="overwrite"/> is false.</exception>
        /// <exception cref="NotSupportedException">The architecture cannot be exported (Longformer); the message says why.</exception>
        public void ExportOnnx(string directory, OnnxExportOptions? options = null, bool overwrite = false) =>
            OnnxExport.Export(classifier, directory, options, overwrite);
    }
}
