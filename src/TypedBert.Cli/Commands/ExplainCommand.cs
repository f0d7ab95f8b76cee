using System.CommandLine;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Explanations;
using TypedBert.Serialization;

namespace TypedBert.Cli.Commands;

/// <summary><c>typedbert explain</c>: which words made a classifier give a label its score (integrated gradients).</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Classifier folder (with model.safetensors: an exported ONNX folder has no gradients)", Required = true };
        var text = new Option<string>("--text") { Description = "The text to explain", Required = true };
        var label = new Option<string[]>("--label") { Description = "A label to explain (repeatable; default: the predicted label, or every label with --all-labels)" };
        var all = new Option<bool>("--all-labels") { Description = "Explain every label of the model (one per label of a multi-label model)" };
        var steps = new Option<int>("--steps")
        {
            Description = $"Integration steps, {ExplanationOptions.MinSteps} to {ExplanationOptions.MaxSteps}",
            DefaultValueFactory = _ => ExplanationOptions.DefaultSteps,
        };
        var baseline = new Option<ExplanationBaseline>("--baseline") { Description = "Where the path starts: Padding ([PAD] embeddings) or Zero", DefaultValueFactory = _ => ExplanationBaseline.Padding };
        var html = new Option<string?>("--html") { Description = "Also write the coloured words to this HTML file" };
        var command = new Command("explain", "Show which words made the classifier decide (integrated gradients over the word embeddings)")
            { model, text, label, all, steps, baseline, html };
        command.SetAction(result =>
        {
            var options = new ExplanationOptions { Steps = result.GetValue(steps), Baseline = result.GetValue(baseline) };
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                Console.Error.WriteLine($"--steps {options.Steps}: {e.Message.Split(" (Parameter")[0]}");
                return 2;
            }
            using var classifier = TextClassifier.Load(result.GetValue(model)!);
            string input = result.GetValue(text)!;
            var labels = result.GetValue(label) ?? [];
            var unknown = labels.Where(l => !classifier.Labels.Contains(l)).ToList();
            if (unknown.Count > 0)
            {
                Console.Error.WriteLine($"--label {unknown[0]}: the model has no such label; its labels are {string.Join(", ", classifier.Labels)}");
                return 2;
            }
            IReadOnlyList<Explanation> explanations = result.GetValue(all) ? classifier.ExplainEach(input, null, options)
                : labels.Length > 0 ? classifier.ExplainEach(input, labels, options)
                : [classifier.Explain(input, null, options)];
            var prediction = classifier.Predict(input);
            bool colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
            foreach (var explanation in explanations)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{explanation.Label} (score {prediction.Scores[explanation.LabelId]:P2}): logit {explanation.Logit:0.000}, baseline {explanation.BaselineLogit:0.000}, completeness error {explanation.CompletenessError:P2}, {explanation.Windows} window(s), {options.Steps} steps"));
                Console.WriteLine(colour ? ExplanationRendering.Ansi(explanation) : ExplanationRendering.Plain(explanation));
                Report.Table(["word", "start", "score"], explanation.Ranked.Take(10).Select(w => (IReadOnlyList<string>)[w.Word, w.Start.ToString(CultureInfo.InvariantCulture), Report.F(w.Score)]));
            }
            if (result.GetValue(html) is { } path)
            {
                AtomicFile.WriteAllText(path, ExplanationRendering.Html(explanations, prediction));
                Console.Error.WriteLine($"wrote {path}");
            }
            return 0;
        });
        return command;
    }
}
