using System.Diagnostics;
using TorchSharp;
using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Explanations;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>explain --model M</c> (a single-label model fine-tuned on SST-2, labels "0"/"1"): issue 30's keys on sst2/test: completeness
/// error, deletion of the 20 % most-attributed words against 20 % random words, rank correlation against a re-initialised head,
/// p50 latency of a 25-token sentence, and the ECE on sst2/test before and after a temperature fitted on sst2/dev rows.
/// </summary>
internal static class ExplainBench
{
    public static BenchResult Run(BenchArguments arguments)
    {
        string folder = arguments.Option("--model") ?? throw new ArgumentException("explain needs --model FOLDER: a classifier fine-tuned on SST-2 (labels 0 and 1)");
        int count = arguments.Int("--sentences", 300), correlationCount = arguments.Int("--correlation-sentences", 30), calibrationRows = arguments.Int("--calibration-rows", 2000);
        var test = Sst2.Read(Sst2.Require("test"))!;
        var result = new BenchResult();
        using var classifier = TextClassifier.Load(folder);
        var options = new ExplanationOptions { Steps = arguments.Int("--steps", ExplanationOptions.DefaultSteps) };
        // --parts completeness,correlation,latency,calibration (default all): a step-count sweep needs only the first and third.
        var parts = (arguments.Option("--parts") ?? "completeness,correlation,latency,calibration").Split(',').ToHashSet();
        result["steps"] = options.Steps;
        var sentences = test.Select(r => r.Sentence.Trim()).Where(s => s.Split(' ').Length >= 5).Take(count).ToList();

        if (parts.Contains("completeness")) Completeness(classifier, sentences, options, result);
        if (parts.Contains("correlation")) Correlation(folder, classifier, sentences.Take(correlationCount), options, result);
        if (parts.Contains("latency")) Latency(classifier, sentences, options, result);
        if (parts.Contains("calibration")) Calibration(classifier, test, calibrationRows, result);
        return result;
    }

    static void Completeness(TextClassifier classifier, List<string> sentences, ExplanationOptions options, BenchResult result)
    {
        var random = new Random(30);
        var errors = new List<double>();
        double dropTop = 0, dropRandom = 0;
        foreach (string sentence in sentences)
        {
            var explanation = classifier.Explain(sentence, null, options);
            errors.Add(explanation.CompletenessError);
            var words = explanation.Words;
            int k = Math.Max(1, (int)Math.Round(0.2 * words.Count));
            var top = words.Select((w, i) => (w.Score, i)).OrderByDescending(x => x.Score).Take(k).Select(x => x.i).ToHashSet();
            var chosen = Enumerable.Range(0, words.Count).OrderBy(_ => random.Next()).Take(k).ToHashSet();
            string Without(HashSet<int> drop) => string.Join(" ", words.Where((_, i) => !drop.Contains(i)).Select(w => w.Word));
            var scores = classifier.PredictBatch([sentence, Without(top), Without(chosen)]);
            dropTop += scores[0].Scores[explanation.LabelId] - scores[1].Scores[explanation.LabelId];
            dropRandom += scores[0].Scores[explanation.LabelId] - scores[2].Scores[explanation.LabelId];
        }
        errors.Sort();
        result["sentences"] = sentences.Count;
        result["completeness_error_mean"] = errors.Average();
        result["completeness_error_max"] = errors[^1];
        result["completeness_within_5_percent"] = errors.Count(e => e <= 0.05) / (double)errors.Count;
        result["deletion_top"] = dropTop / sentences.Count;
        result["deletion_random"] = dropRandom / sentences.Count;
        result["deletion_ratio"] = dropTop / dropRandom;
        result.AtLeast("deletion_ratio", dropTop / dropRandom, 2, "integrated gradients on this fine-tune");
    }

    static void Correlation(string folder, TextClassifier classifier, IEnumerable<string> sentences, ExplanationOptions options, BenchResult result)
    {

        using (var newHead = TextClassifier.Load(folder))
        {
            torch.manual_seed(7);
            using (torch.no_grad())
                foreach (var (name, parameter) in newHead.Model.named_parameters())
                    if (newHead.Model.IsHeadParameter(name)) torch.nn.init.normal_(parameter, 0, 0.5);
            var correlations = sentences.Select(s => Spearman(
                [.. classifier.Explain(s, "1", options).Words.Select(w => (double)w.Score)], [.. newHead.Explain(s, "1", options).Words.Select(w => (double)w.Score)])).ToList();
            result["rank_correlation_new_head"] = correlations.Average();
            result.AtMost("rank_correlation_new_head", correlations.Average(), 0.5, "the model-randomisation check");
        }

    }

    static void Latency(TextClassifier classifier, List<string> sentences, ExplanationOptions options, BenchResult result)
    {
        string sentence25 = sentences.First(s => classifier.Tokenizer.Tokenize(s).Count + 2 is >= 24 and <= 26);
        result["latency_tokens"] = classifier.Tokenizer.Tokenize(sentence25).Count + 2;
        classifier.Explain(sentence25, null, options);
        var times = Enumerable.Range(0, 15).Select(_ =>
        {
            long start = Stopwatch.GetTimestamp();
            classifier.Explain(sentence25, null, options);
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }).Order().ToList();
        result["explain_p50_ms"] = times[times.Count / 2];
        result["threads"] = torch.get_num_threads();
        result.AtMost("explain_p50_ms", times[times.Count / 2], 150, "the default 32 steps are one fp32 forward and backward pass over 32 interpolated copies of the text; 16 steps lose completeness (docs/results.md)");

    }

    static void Calibration(TextClassifier classifier, List<(string Sentence, int Label)> test, int calibrationRows, BenchResult result)
    {
        var dev = Sst2.Read("dev")!.Take(calibrationRows).Select(r => Data.TrainingExample.ForLabel(r.Sentence, r.Label)).ToList();
        var report = classifier.Calibrate(dev);
        var predictions = classifier.PredictBatch([.. test.Select(r => r.Sentence)]);
        var labels = test.Select(r => r.Label).ToList();
        result["temperature"] = report.Temperature;
        result["calibration_rows"] = dev.Count;
        double before = CalibrationMetrics.ExpectedCalibrationError([.. predictions.Select(p => CalibrationMetrics.Softmax(p.Logits))], labels);
        double after = CalibrationMetrics.ExpectedCalibrationError([.. predictions.Select(p => CalibrationMetrics.Softmax(p.Logits, report.Temperature))], labels);
        result["sst2_test_ece_before"] = before;
        result["sst2_test_ece_after"] = after;
        result["sst2_test_accuracy"] = predictions.Select((p, i) => p.LabelId == labels[i] ? 1.0 : 0).Average();
        result.AtMost("sst2_test_ece_after", after, Math.Min(0.02, before / 2), "temperature scaling on this fine-tune");
    }

    static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] v)
        {
            var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
            var r = new double[v.Length];
            for (int i = 0; i < order.Length; i++) r[order[i]] = i;
            return r;
        }
        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum(), norm = Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(y => (y - mb) * (y - mb)));
        return norm == 0 ? 0 : cov / norm;
    }
}
