using System.CommandLine;
using TypedBert.Classification;
using TypedBert.Cli.Terminal;
using TypedBert.Data;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary><c>typedbert eval</c>: score a saved classifier on a labelled file.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Classifier folder, or a folder written by typedbert export", Required = true };
        var data = new Option<string>("--data") { Description = "Labelled file (.tsv, .csv, .jsonl)", Required = true };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var precision = new Option<InferencePrecision>("--precision") { Description = "Matmul number format: Auto (bf16 where the CPU has AMX or AVX512-BF16), Float32 or BFloat16", DefaultValueFactory = _ => InferencePrecision.Auto };
        var engine = EngineOption.Create();
        var json = new Option<string?>("--json") { Description = "Write the metrics to this JSON file ('-': standard output, everything else to standard error)" };
        var dataOptions = new DataOptions();
        var longText = new LongTextCliOptions();
        var command = new Command("eval", "Score a fine-tuned classifier on labelled data") { model, data, batchSize, precision, engine, json };
        dataOptions.AddTo(command);
        longText.AddTo(command);
        command.SetAction(result =>
        {
            var console = ConsoleOutput.Begin(result.GetValue(json));
            // Loaded with the model's own settings first, so that the long-text flags override what it was saved with.
            using var loaded = TextClassifier.Load(result.GetValue(model)!);
            var settings = loaded.Settings with
            {
                Precision = result.GetValue(precision),
                BatchSize = result.GetValue(batchSize),
                LongText = longText.Apply(result, loaded.LongText) ?? loaded.Settings.LongText,
            };
            using var classifier = EngineOption.TryWith(loaded, settings, result.GetValue(engine));
            if (classifier is null || !LongTextCliOptions.Check(classifier)) return 2;
            var examples = dataOptions.ReadExamples(result, result.GetValue(data)!, new LabelSet(classifier.Labels), classifier.ProblemType);
            var started = DateTime.UtcNow;
            var evaluation = console.Progress.Count("evaluating", examples.Count, done => Evaluation.Run(classifier, examples, null, done));
            Report.Evaluation(evaluation);
            Console.WriteLine($"long text: {classifier.LongTextSettingsFor(null)}");
            Console.WriteLine(EngineOption.Describe(classifier));
            Console.WriteLine($"({Report.Duration(DateTime.UtcNow - started)})");
            Report.WriteJson(result.GetValue(json), Report.EvaluationJson(evaluation));
            return 0;
        });
        return command;
    }
}
