using System.CommandLine;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Cli.Scoring;
using TypedBert.Cli.Terminal;

namespace TypedBert.Cli.Commands;

/// <summary><c>typedbert predict</c>: label texts given on the command line or one per line in a file.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Classifier folder, or a folder written by typedbert export", Required = true };
        var text = new Option<string[]>("--text") { Description = "A text to classify (repeatable)", AllowMultipleArgumentsPerToken = false };
        var file = new Option<string?>("--file") { Description = "A file with one text per line" };
        var topK = new Option<int>("--top-k") { Description = "Labels to show per text", DefaultValueFactory = _ => 3 };
        var slidingWindow = new Option<bool>("--sliding-window") { Description = "The same as --long-text window" };
        var longText = new LongTextCliOptions();
        var precision = new Option<InferencePrecision>("--precision") { Description = "Matmul number format: Auto (bf16 where the CPU has AMX or AVX512-BF16), Float32 or BFloat16", DefaultValueFactory = _ => InferencePrecision.Auto };
        var engine = EngineOption.Create();
        var json = new Option<string?>("--json") { Description = "Write the predictions to this JSON file ('-': standard output, everything else to standard error)" };
        var input = new Option<string?>("--input") { Description = "Score a corpus: a JSON Lines file ({\"text\": ...} per line, \"id\" carried over) or a TSV file with a text column, streamed in chunks; needs --output" };
        var output = new Option<string?>("--output") { Description = "With --input: the JSON Lines file of predictions (one line per record, in input order); chunks go to OUTPUT.parts until it is complete, and a killed run resumes from them" };
        var shard = new Option<string?>("--shard") { Description = "With --input: I/N, score only part I (0-based) of N; the outputs of parts 0..N-1 concatenated equal one process's output" };
        var chunkSize = new Option<int>("--chunk-size") { Description = "With --input: records per chunk, the unit of writing and resuming", DefaultValueFactory = _ => 1024 };
        var textField = new Option<string>("--text-field") { Description = "With --input: the JSON field or TSV column that holds the text", DefaultValueFactory = _ => "text" };
        var command = new Command("predict", "Classify texts with a fine-tuned classifier") { model, text, file, topK, slidingWindow, precision, engine, json, input, output, shard, chunkSize, textField };
        longText.AddTo(command);
        command.SetAction(result =>
        {
            if (result.GetValue(input) is { } corpus)
                return CorpusScoring.Run(result.GetValue(model)!, corpus, result.GetValue(output), result.GetValue(shard), result.GetValue(chunkSize),
                    result.GetValue(textField)!, loaded => loaded.Settings with
                    {
                        Precision = result.GetValue(precision),
                        LongText = longText.Apply(result, loaded.LongText, result.GetValue(slidingWindow)) ?? loaded.Settings.LongText,
                    }, result.GetValue(engine));
            var console = ConsoleOutput.Begin(result.GetValue(json));
            var texts = (result.GetValue(text) ?? []).ToList();
            if (result.GetValue(file) is { } path) texts.AddRange(File.ReadLines(path).Where(l => l.Length > 0));
            if (texts.Count == 0)
            {
                Console.Error.WriteLine("nothing to classify: give --text or --file");
                return 2;
            }
            // Loaded with the model's own settings first, so that the long-text flags override what it was saved with.
            using var loaded = TextClassifier.Load(result.GetValue(model)!);
            var settings = loaded.Settings with
            {
                Precision = result.GetValue(precision),
                LongText = longText.Apply(result, loaded.LongText, result.GetValue(slidingWindow)) ?? loaded.Settings.LongText,
            };
            using var classifier = EngineOption.TryWith(loaded, settings, result.GetValue(engine));
            if (classifier is null || !LongTextCliOptions.Check(classifier)) return 2;
            Console.Error.WriteLine(EngineOption.Describe(classifier));
            // Texts from a file can be many: predict them a few batches at a time so that a bar can show the count done.
            var predictions = result.GetValue(file) is null
                ? classifier.PredictBatch(texts)
                : console.Progress.Count("predicting", texts.Count, done => PredictInChunks(classifier, texts, done));
            int k = Math.Max(1, result.GetValue(topK));
            Report.Table(["text", "label", "scores"], texts.Zip(predictions, (t, p) => (IReadOnlyList<string>)
            [
                Shorten(Report.Escape(t), 60), p.ProblemType == ProblemType.MultiLabel ? string.Join("|", p.Labels()) : p.Label,
                string.Join(", ", p.Top(k).Select(s => $"{s.Label} {s.Score.ToString(p.ProblemType == ProblemType.Regression ? "0.####" : "P2", CultureInfo.InvariantCulture)}")),
            ]));
            Report.WriteJson(result.GetValue(json), texts.Zip(predictions, (t, p) => new Dictionary<string, object>
            {
                ["text"] = t,
                ["label"] = p.ProblemType == ProblemType.MultiLabel ? p.Labels() : p.Label,
                ["scores"] = p.Ranked.ToDictionary(s => s.Label, s => s.Score),
                ["windows"] = p.Windows,
            }).ToList());
            return 0;
        });
        return command;
    }

    static List<Prediction> PredictInChunks(TextClassifier classifier, List<string> texts, IProgress<int> done)
    {
        int chunk = Math.Max(1, classifier.BatchSize * 4);
        var predictions = new List<Prediction>(texts.Count);
        for (int start = 0; start < texts.Count; start += chunk)
        {
            predictions.AddRange(classifier.PredictBatch(texts.GetRange(start, Math.Min(chunk, texts.Count - start))));
            done.Report(predictions.Count);
        }
        return predictions;
    }

    static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
