using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TypedBert.Classification;
using TypedBert.Tokenization;

namespace TypedBert.Onnx;

/// <summary>
/// The calibration of a static int8 graph: the float graph in the static graph's layout runs in ONNX Runtime on the calibration
/// texts with every activation to quantize as an extra output; each activation's range is its min-max or its percentile range
/// (<see cref="OnnxExportOptions.CalibrationPercentile"/>); then the static graph is written with those ranges.
/// </summary>
internal static class StaticCalibration
{
    /// <summary>
    /// Min-max: on dev sentences (<c>bench accuracy</c>, docs/performance.md) it followed fp32 best on AG News (logit error 0.041
    /// against 0.154 for the 99.99th percentile) and nearly best on SST-2 (0.058 against 0.051); percentiles clip the outlier
    /// dimensions of the LayerNorm outputs, which the 99.9th turned into -1.49 points on SST-2.
    /// </summary>
    public const double DefaultPercentile = 1.0;

    /// <summary>Texts per calibration batch: small, because every recorded activation of the batch is held at once.</summary>
    const int BatchSize = 8;

    /// <summary>The static int8 graph of <paramref name="classifier"/>, calibrated on <paramref name="options"/>' texts.</summary>
    /// <exception cref="ArgumentException">No calibration texts; the message names the option and the fix.</exception>
    public static global::Onnx.ModelProto Write(TextClassifier classifier, OnnxExportOptions options, int threads = 0)
    {
        var ranges = Measure(classifier, options, threads);
        return ClassifierGraphWriter.WriteStatic(classifier.Model, options, StaticQuantizer.WithRanges(ranges, options.FloatActivations));
    }

    /// <summary>The range of every activation the static graph quantizes, from <see cref="OnnxExportOptions.CalibrationTexts"/>.</summary>
    public static IReadOnlyDictionary<string, ActivationRange> Measure(TextClassifier classifier, OnnxExportOptions options, int threads = 0)
    {
        var texts = options.CalibrationTexts;
        if (texts is null || texts.Count == 0)
            throw new ArgumentException("static int8 (OnnxQuantization.Int8Static) fixes its activation ranges from texts of the model's task: set OnnxExportOptions.CalibrationTexts "
                + "(typedbert export --quantize int8-static --calibration data.tsv) to a few hundred of them", nameof(options));
        if (options.CalibrationPercentile is <= 0.5 or > 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.CalibrationPercentile, "CalibrationPercentile must be in (0.5, 1]");
        var quantizer = StaticQuantizer.ForCalibration();
        var graph = ClassifierGraphWriter.WriteStatic(classifier.Model, options, quantizer);
        var outputs = quantizer.Probes.Values.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var output in outputs)
            graph.Graph.Output.Add(new global::Onnx.ValueInfoProto
            {
                Name = output,
                Type = new global::Onnx.TypeProto { TensorType = new global::Onnx.TypeProto.Types.Tensor { ElemType = (int)global::Onnx.TensorProto.Types.DataType.Float } },
            });

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        using var session = new InferenceSession(graph.ToByteArray(), sessionOptions);
        using var runOptions = new RunOptions();
        bool segments = session.InputMetadata.ContainsKey("token_type_ids");
        string[] inputs = segments ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        var statistics = quantizer.Probes.Keys.ToDictionary(k => k, _ => new RangeStatistics(options.CalibrationPercentile), StringComparer.Ordinal);
        var items = texts.Select(t => classifier.Tokenizer.Encode(t ?? "", null, classifier.MaxLength)).OrderBy(e => e.Length).ToList();
        foreach (var chunk in items.Chunk(BatchSize))
        {
            var batch = new BatchEncoding(chunk, classifier.Tokenizer.PadTokenId);
            long[] shape = [batch.BatchSize, batch.SequenceLength];
            using var ids = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
            using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
            using var types = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape);
            using var results = session.Run(runOptions, inputs, segments ? [ids, mask, types] : [ids, mask], outputs);
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < outputs.Length; i++) byName[outputs[i]] = i;
            // Padding rows' activations are left in: they are few after sorting by length, and the static graph sees them too.
            foreach (var (key, value) in quantizer.Probes) statistics[key].Add(results[byName[value]].GetTensorDataAsSpan<float>());
        }
        return statistics.ToDictionary(s => s.Key, s => s.Value.Range, StringComparer.Ordinal);
    }

    /// <summary>
    /// The running range of one activation: its extremes, and the mean over batches of the percentile range of an evenly strided
    /// sample of each batch's values (at most <see cref="SampleSize"/>).
    /// </summary>
    sealed class RangeStatistics(double percentile)
    {
        const int SampleSize = 1 << 16;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        double lowSum, highSum;
        int batches;

        public void Add(ReadOnlySpan<float> values)
        {
            if (values.IsEmpty) return;
            foreach (float v in values)
            {
                if (v < min) min = v;
                if (v > max) max = v;
            }
            if (percentile >= 1) return;
            int stride = Math.Max(1, values.Length / SampleSize);
            var sample = new float[(values.Length + stride - 1) / stride];
            for (int i = 0, j = 0; i < values.Length; i += stride, j++) sample[j] = values[i];
            Array.Sort(sample);
            int drop = (int)Math.Floor((1 - percentile) * sample.Length);
            lowSum += sample[drop];
            highSum += sample[sample.Length - 1 - drop];
            batches++;
        }

        public ActivationRange Range => percentile >= 1 || batches == 0
            ? new ActivationRange(min, max)
            : new ActivationRange(Math.Max(min, (float)(lowSum / batches)), Math.Min(max, (float)(highSum / batches)));
    }
}
