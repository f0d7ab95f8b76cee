// Benchmarks that check the performance targets (issue 5). Each subcommand takes --json FILE.
//   inference: the same token tensors through TypedBert's encoder (fp32 and bf16) and ONNX Runtime on the original ONNX
//              file, same thread count, alternated in one process after warm-up; plus the fp32 matmul peak.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TypedBert;
using TypedBert.Pretrained;
using TorchSharp;
using static TorchSharp.torch;

string command = args.Length > 0 ? args[0] : "";
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int IntOption(string name, int fallback) => Option(name) is string v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

if (command != "inference")
{
    Console.Error.WriteLine("usage: TypedBert.Benchmarks inference [--batch 32] [--length 128] [--rounds 5] [--json FILE]");
    return 2;
}

int batch = IntOption("--batch", 32), length = IntOption("--length", 128), rounds = IntOption("--rounds", 5);
int threads = get_num_threads();
using var encoder = PretrainedEncoder.Load(EmbeddedModels.DefaultName);
using var bf16 = PretrainedEncoder.Load(EmbeddedModels.DefaultName);
bf16.Model.to(ScalarType.BFloat16);
var model = EmbeddedModels.Find(EmbeddedModels.DefaultName)!;
using var onnx = new InferenceSession(model.ReadResource(model.OnnxResource),
    new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL });

var random = new Random(1);
long[] ids = [.. Enumerable.Range(0, batch * length).Select(i => i % length == 0 ? 101L : i % length == length - 1 ? 102L : random.Next(1000, 30000))];
long[] mask = [.. Enumerable.Repeat(1L, ids.Length)];
long[] types = new long[ids.Length];
using var idsTensor = tensor(ids, [batch, length]);
using var maskTensor = tensor(mask, [batch, length]);
using var typesTensor = tensor(types, [batch, length]);
int[] shape = [batch, length];
var feeds = new List<NamedOnnxValue>
{
    NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
    NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
    NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
};

double TimeTypedBert(PretrainedEncoder e)
{
    var clock = Stopwatch.StartNew();
    using (inference_mode())
    using (var scope = NewDisposeScope())
        e.Model.Forward(idsTensor, maskTensor, typesTensor);
    return clock.Elapsed.TotalSeconds;
}

double TimeOnnx()
{
    var clock = Stopwatch.StartNew();
    using (onnx.Run(feeds)) { }
    return clock.Elapsed.TotalSeconds;
}

for (int i = 0; i < 2; i++) { TimeTypedBert(encoder); TimeTypedBert(bf16); TimeOnnx(); }
var typed = new List<double>();
var typedBf16 = new List<double>();
var ort = new List<double>();
for (int round = 0; round < rounds; round++)
{
    typed.Add(TimeTypedBert(encoder));
    ort.Add(TimeOnnx());
    typedBf16.Add(TimeTypedBert(bf16));
}
double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
double typedPerSecond = batch / Median(typed), ortPerSecond = batch / Median(ort), bf16PerSecond = batch / Median(typedBf16);

// fp32 matmul peak on the same threads: the best of several 2048^3 products.
using var a = randn(2048, 2048);
using var b = randn(2048, 2048);
double bestMatmul = double.MaxValue;
for (int i = 0; i < 6; i++)
{
    var clock = Stopwatch.StartNew();
    using (var product = a.matmul(b)) product.sum().item<float>();
    bestMatmul = Math.Min(bestMatmul, clock.Elapsed.TotalSeconds);
}
double peakGflops = 2.0 * 2048 * 2048 * 2048 / bestMatmul / 1e9;

// Forward FLOPs per sequence: per layer and token, 2 x (4h^2 + 2hi) for the projections and 2 x 2sh for attention.
var config = encoder.Config;
double flopsPerSequence = config.NumHiddenLayers * length * 2.0 *
    (4.0 * config.HiddenSize * config.HiddenSize + 2.0 * config.HiddenSize * config.IntermediateSize + 2.0 * length * config.HiddenSize);
var result = new Dictionary<string, object>
{
    ["batch"] = batch, ["sequence_length"] = length, ["threads"] = threads, ["rounds"] = rounds,
    ["typedbert_seq_per_s"] = typedPerSecond,
    ["onnxruntime_seq_per_s"] = ortPerSecond,
    ["ratio_vs_onnxruntime"] = typedPerSecond / ortPerSecond,
    ["typedbert_bf16_seq_per_s"] = bf16PerSecond,
    ["ratio_bf16_vs_onnxruntime"] = bf16PerSecond / ortPerSecond,
    ["matmul_peak_gflops"] = peakGflops,
    ["typedbert_gflops"] = typedPerSecond * flopsPerSequence / 1e9,
    ["fraction_of_peak"] = typedPerSecond * flopsPerSequence / 1e9 / peakGflops,
};
string json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(json);
if (Option("--json") is string path) File.WriteAllText(path, json + "\n");
return 0;
