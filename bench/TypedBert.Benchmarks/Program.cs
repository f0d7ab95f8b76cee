// Benchmarks that check the performance targets of issue 5; see docs/performance.md. Every subcommand takes --json FILE.
using TypedBert.Benchmarks;

var arguments = new BenchArguments(args);
Func<BenchArguments, BenchResult>? run = arguments.Command switch
{
    "inference" => Inference.Run,
    "training" => Training.Run,
    "tokenizer" => Tokenizer.Run,
    "padding" => Padding.Run,
    "memory" => Memory.Run,
    "accuracy" => Accuracy.Run,
    "onnx-profile" => OnnxProfile.Run,
    "fewshot" => FewShot.Run,
    "longtext" => LongTextBench.Run,
    "matmul" => MatmulPeak.Run,
    "label-efficiency" => LabelEfficiency.Run,
    "learning-curve" => LearningCurveBench.Run,
    "suggest-speed" => SuggestSpeed.Run,
    "explain" => ExplainBench.Run,
    "swap-memory" => SwapMemory.Run,
    "static-int8-study" => StaticInt8Study.Run,
    "ort-engines" => OrtEngines.Run,
    "calibration" => CalibrationBench.Run,
    _ => null,
};
if (run is null)
{
    Console.Error.WriteLine("""
        usage: TypedBert.Benchmarks COMMAND [--json FILE] [options]
          inference  [--batch 32] [--length 128] [--rounds 5] [--latency-sentences 300]
                                                                TypedBert vs ONNX Runtime on the same tensors; static int8, the default engine
          training   [--examples 128] [--batch 16] [--length 128] fine-tuning throughput, fp32 and bf16 mixed precision, MFU
          tokenizer  [--rounds 3]                               BertTokenizer vs FastBertTokenizer, share of prediction time
          padding                                               sst2/test.tsv: dynamic padding vs padding to 512
          memory     [--predictions 10000]                      resident memory after 1,000 and 10,000 predictions
          accuracy   [--train-rows 2000] [--length 64] [--dev-rows 872] [--agnews false] [--bf16-training false]
                                                                sst2/test accuracy: fp32 vs bf16 inference, int8, static int8 (and on agnews), fp32 vs bf16 training
          onnx-profile [--batch 32] [--length 128] [--quantization None|Int8|Int8Static] [--static-attention int8|float]
                                                                time per ONNX Runtime operator type in TypedBert's graphs
          fewshot    [--per-label 8,16,64] [--seeds 1,2]       sst2|agnews (--dataset): few-shot (SetFit) training against fine-tuning on K examples per label;
                     [--test-rows all|none|N] [--head-ablation true] [--head logistic|gradient] [--clip 1] [--length 64]
          longtext   [--window 128] [--documents 55]           sotu/test: windows/s of sliding-window prediction vs plain rows of the same length
          matmul     [--size 2048]                              libtorch's fp32 and bf16 matmul peak with this machine's threads
          label-efficiency [--seeds 5] [--keys k1,k2] [--key-seeds key=N,...] [--pool 5000] [--png-folder docs] [--teacher-rows N]
                     issue 26's keys: zero-shot, few-shot, self-training and distillation from few or no labels; learning-curve PNGs
                     [--rounds 1] [--on dev]; sst2_ensemble_student: [--ensemble-teachers a,b | --ensemble-size 3 --ensemble-save DIR] [--ensemble-checkpoints DIR]
          swap-memory [--loads 12] [--threads 4] [--predictions 256] [--engine Torch|OnnxRuntime|...] [--trim false]
                                                                load, predict, dispose in a loop: resident set, glibc heap, .NET heap, live tensors after each
          static-int8-study [--model DIR] [--parts calibration,kinds,layers,ranges] [--percentile 1] [--float SUFFIX,...]
                     where static int8 loses accuracy on SST-2 dev: calibrations and float activations against the fp32 graph
          ort-engines [--rounds 3] [--latency-sentences 100] [--student-layers 3]
                                                                ONNX Runtime alone on its file and TypedBert's graphs (to compare package versions)
          learning-curve [--dataset sst2,agnews] [--strategy random,margin,diverse] [--budgets 32,64,128,256,512] [--seeds 3] [--pool 5000]
                     [--student auto|always|never] [--png-folder docs]   issue 32: labels revealed only where a strategy picks, from zero-shot; test accuracy per budget
          suggest-speed [--pool 20000] [--count 50] [--strategy diverse]   issue 32: seconds to suggest from an SST-2 pool with a zero-shot model, first and second round
          explain    --model M [--sentences 300] [--steps 32]  issue 30's keys on sst2/test: completeness, deletion, new-head rank correlation, p50 ms, ECE before/after
          calibration --model M --test FILE [--text-column text] [--fit FILE --fit-rows N]
                                                                test ECE/NLL with the model's raw logits and its saved temperature, reliability bins; a refit on more rows
        """);
    return 2;
}
BenchResult result;
try
{
    result = run(arguments);
}
catch (ArgumentException error)
{
    // A wrong option (an unknown key, a value out of range) is the caller's mistake: one line, no stack trace.
    Console.Error.WriteLine($"error: {error.Message}");
    return 2;
}
result.Write(arguments.Option("--json"));
return 0;
