using System.CommandLine;
using TypedBert.Classification;
using TypedBert.Onnx;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>typedbert export</c>: write a fine-tuned classifier as an ONNX model folder (onnx/model.onnx or onnx/model_quantized.onnx,
/// config.json, tokenizer.json and the tokenizer's files) that transformers.js, optimum and TypedBert's predict, eval and serve read.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Classifier folder", Required = true };
        var output = new Option<string>("--output") { Description = "The ONNX folder to write", Required = true };
        var quantize = new Option<string?>("--quantize") { Description = "int8: dynamic int8 quantization of the encoder's Linear layers (about a quarter of the size)" };
        quantize.AcceptOnlyFromAmong("int8");
        var operators = new Option<OnnxOperators>("--operators")
        {
            Description = "OnnxRuntime: ONNX Runtime's fused operators (fastest; ONNX Runtime, optimum, Triton); Standard: ai.onnx opset 17 only, for any runtime",
            DefaultValueFactory = _ => OnnxOperators.OnnxRuntime,
        };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists" };
        var command = new Command("export", "Export a fine-tuned classifier to ONNX") { model, output, quantize, operators, force };
        command.SetAction(result =>
        {
            string target = result.GetValue(output)!;
            if (!result.GetValue(force) && (Directory.Exists(target) || File.Exists(target)))
            {
                Console.Error.WriteLine($"{target}: the folder exists; pass --force to replace it, or choose another --output");
                return 2;
            }
            using var classifier = TextClassifier.Load(result.GetValue(model)!);
            var options = new OnnxExportOptions
            {
                Operators = result.GetValue(operators),
                Quantization = result.GetValue(quantize) == "int8" ? OnnxQuantization.Int8 : OnnxQuantization.None,
            };
            try
            {
                OnnxExport.Export(classifier, target, options, overwrite: result.GetValue(force));
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            string graph = Path.Combine(target, OnnxExport.GraphPath(options.Quantization));
            Console.Error.WriteLine($"wrote {graph} ({new FileInfo(graph).Length / 1e6:0.0} MB, {options.Quantization}, {options.Operators} operators, opset 17), "
                + "config.json, tokenizer.json and the tokenizer's files: typedbert predict, eval and serve, transformers.js and optimum read the folder as it is");
            return 0;
        });
        return command;
    }
}
