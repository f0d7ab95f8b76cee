using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TypedBert.Classification;
using TypedBert.Onnx;
using TypedBert.Pretrained;
using TypedBert.Tokenization;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>ort-engines</c>: ONNX Runtime alone, for comparing one ONNX Runtime build against another (run the command once per package
/// version, alternately): the original MiniLM file and TypedBert's graphs (fp32 with and without the mask, dynamic and static int8)
/// at batch 32 x 128 with a quarter of each row padded (the masked attention path) and without padding, and at batch 1 on sst2/test
/// sentences. Prints ONNX Runtime's version with the figures.
/// </summary>
internal static class OrtEngines
{
    public static BenchResult Run(BenchArguments args)
    {
        int batch = args.Int("--batch", 32), length = args.Int("--length", 128), rounds = args.Int("--rounds", 3);
        var result = new BenchResult();
        Machine.Describe(result);
        result["onnxruntime_version"] = OrtEnv.Instance().GetVersionString();
        int threads = TorchSharp.torch.get_num_threads();
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        var model = EmbeddedModels.Find(EmbeddedModels.DefaultName)!;
        var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        var staticOptions = new OnnxExportOptions { Quantization = OnnxQuantization.Int8Static, CalibrationTexts = CalibrationTexts.Sst2Train() };
        var ranges = StaticCalibration.Measure(classifier, staticOptions);
        var graphs = new List<(string Name, byte[] Graph)>
        {
            ("onnxruntime_file", model.ReadResource(model.OnnxResource)),
            ("fp32", OnnxExport.ToBytes(classifier)),
            ("fp32_unmasked", OnnxExport.ToBytes(classifier, new OnnxExportOptions { WithoutAttentionMask = true })),
            ("int8", OnnxExport.ToBytes(classifier, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 })),
            ("int8_static", ClassifierGraphWriter.WriteStatic(classifier.Model, staticOptions, StaticQuantizer.WithRanges(ranges)).ToByteArray()),
        };
        if (args.Option("--student-layers") is not null)
        {
            // A student as distill starts it (evenly spaced layers of this body, the top one kept): speed only, its weights untrained.
            int layers = args.Int("--student-layers", 3);
            using var student = TypedBert.Training.Distillation.StudentLayers.Create(classifier, layers);
            var studentRanges = StaticCalibration.Measure(student, staticOptions);
            graphs.Add(($"student{layers}_fp32", OnnxExport.ToBytes(student)));
            graphs.Add(($"student{layers}_int8", OnnxExport.ToBytes(student, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 })));
            graphs.Add(($"student{layers}_int8_static", ClassifierGraphWriter.WriteStatic(student.Model, staticOptions, StaticQuantizer.WithRanges(studentRanges)).ToByteArray()));
        }
        var tokenizer = classifier.Tokenizer;
        var random = new Random(1);
        EncodedText Row(int tokens)
        {
            var ids = new int[tokens];
            for (int i = 0; i < tokens; i++) ids[i] = i == 0 ? 101 : i == tokens - 1 ? 102 : random.Next(1000, 30000);
            return new EncodedText(ids, new int[tokens], false);
        }
        var full = new BatchEncoding([.. Enumerable.Range(0, batch).Select(_ => Row(length))], tokenizer.PadTokenId);
        var padded = new BatchEncoding([.. Enumerable.Range(0, batch).Select(i => Row(i % 2 == 0 ? length : length / 2))], tokenizer.PadTokenId);
        var singles = (Sst2.Read("test") ?? []).Take(args.Int("--latency-sentences", 100))
            .Select(r => new BatchEncoding([tokenizer.Encode(r.Sentence)], tokenizer.PadTokenId)).ToList();
        foreach (var (name, graph) in graphs)
        {
            using var session = new InferenceSession(graph, options);
            bool unmasked = name == "fp32_unmasked";
            Time(session, full, 2);
            result[$"{name}_full_ms"] = Time(session, full, rounds) * 1000;
            if (!unmasked) result[$"{name}_half_padded_ms"] = Time(session, padded, rounds) * 1000;
            foreach (var single in singles.Take(10)) Time(session, single, 1);
            var times = singles.Select(s => Time(session, s, 1)).Concat(singles.Select(s => Time(session, s, 1))).Order().ToList();
            if (times.Count > 0) result[$"{name}_batch1_p50_ms"] = times[times.Count / 2] * 1000;
            Console.Error.WriteLine($"{name}: {result[$"{name}_full_ms"]} ms full");
            Thread.Sleep(300);
        }
        foreach (var (name, _) in graphs.Skip(1))
        {
            if (result[$"{name}_full_ms"] is double ms && result["onnxruntime_file_full_ms"] is double file) result[$"ratio_{name}_vs_onnxruntime_full"] = file / ms;
            if (singles.Count > 0 && result[$"{name}_batch1_p50_ms"] is double p50 && result["onnxruntime_file_batch1_p50_ms"] is double fileP50)
                result[$"latency_{name}_vs_onnxruntime_batch1"] = p50 / fileP50;
        }
        return result;
    }

    /// <summary>The median seconds of <paramref name="rounds"/> runs of <paramref name="batch"/>.</summary>
    static double Time(InferenceSession session, BatchEncoding batch, int rounds)
    {
        var times = new List<double>();
        for (int i = 0; i < rounds; i++)
        {
            long[] shape = [batch.BatchSize, batch.SequenceLength];
            using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
            using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
            using var types = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape);
            bool takesTypes = session.InputMetadata.ContainsKey("token_type_ids");
            string[] names = takesTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
            OrtValue[] values = takesTypes ? [ids, mask, types] : [ids, mask];
            using var runOptions = new RunOptions();
            var clock = Stopwatch.StartNew();
            using (session.Run(runOptions, names, values, [session.OutputMetadata.Keys.First()])) { }
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
