using System.CommandLine;
using TypedBert.Classification;
using TypedBert.Data;
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
        var quantize = new Option<string?>("--quantize")
        {
            Description = "int8: dynamic int8 quantization of the encoder's Linear layers (about a quarter of the size); "
                + "int8-static: calibrated int8 (needs --calibration), the attention's products in int8 too",
        };
        quantize.AcceptOnlyFromAmong("int8", "int8-static");
        var calibration = new Option<string?>("--calibration")
        {
            Description = "int8-static: a labelled file of the model's task (.tsv, .csv, .jsonl; a few hundred rows) whose texts fix the activation ranges",
        };
        var dataOptions = new DataOptions();
        var operators = new Option<OnnxOperators>("--operators")
        {
            Description = "OnnxRuntime: ONNX Runtime's fused operators (fastest; ONNX Runtime, optimum, Triton); Standard: ai.onnx opset 17 only, for any runtime",
            DefaultValueFactory = _ => OnnxOperators.OnnxRuntime,
        };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists" };
        var command = new Command("export", "Export a fine-tuned classifier to ONNX") { model, output, quantize, calibration, operators, force };
        dataOptions.AddTo(command);
        command.SetAction(result =>
        {
            string target = result.GetValue(output)!;
            if (!result.GetValue(force) && (Directory.Exists(target) || File.Exists(target)))
            {
                Console.Error.WriteLine($"{target}: the folder exists; pass --force to replace it, or choose another --output");
                return 2;
            }
            var quantization = result.GetValue(quantize) switch
            {
                "int8" => OnnxQuantization.Int8,
                "int8-static" => OnnxQuantization.Int8Static,
                _ => OnnxQuantization.None,
            };
            string? calibrationPath = result.GetValue(calibration);
            if (quantization == OnnxQuantization.Int8Static && string.IsNullOrWhiteSpace(calibrationPath))
            {
                Console.Error.WriteLine("--quantize int8-static needs --calibration FILE: a labelled file of the model's task (a few hundred rows, e.g. part of its training data) whose texts fix the activation ranges");
                return 2;
            }
            if (quantization != OnnxQuantization.Int8Static && calibrationPath is not null)
            {
                Console.Error.WriteLine("--calibration is read by --quantize int8-static only; add --quantize int8-static, or leave --calibration out");
                return 2;
            }
            using var classifier = TextClassifier.Load(result.GetValue(model)!);
            IReadOnlyList<string>? calibrationTexts = null;
            if (quantization == OnnxQuantization.Int8Static)
            {
                // Read as labelled examples of the model's own labels, so that a file of another task is refused, not silently calibrated on.
                var examples = dataOptions.ReadExamples(result, "--calibration", calibrationPath!, new LabelSet(classifier.Labels), classifier.ProblemType,
                    $"a calibration file must be of the model's own task (labels {string.Join(", ", classifier.Labels)}): give rows of its training or test data");
                calibrationTexts = [.. examples.Select(e => e.Text)];
            }
            var options = new OnnxExportOptions
            {
                Operators = result.GetValue(operators),
                Quantization = quantization,
                CalibrationTexts = calibrationTexts,
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
