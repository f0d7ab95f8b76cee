using System.CommandLine;
using TypedBert.Cli.Errors;
using TypedBert.Cli.Terminal;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.ZeroShot;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>typedbert train --method zero-shot</c>: a classifier from label descriptions alone (<see cref="ZeroShotClassifier"/>), no training
/// data; and <c>--descriptions</c> on the other methods, which starts their new head from the descriptions. Every input is checked
/// before the base model loads.
/// </summary>
internal sealed class ZeroShotTraining
{
    public Option<string?> Descriptions { get; } = new("--descriptions")
    {
        Description = "A TSV file of label<TAB>description lines (several per label allowed; a label without a line is described by its name): zero-shot builds the classifier from it, setfit and finetune start the head from it",
    };

    public Option<string?> Template { get; } = new("--template")
    {
        Description = $"With --descriptions: the sentence each description is put into, such as \"This is a news article about {ZeroShotOptions.Placeholder}.\"",
    };

    public Option<double> Scale { get; } = new("--scale")
    {
        Description = "With --descriptions: logits per unit of cosine similarity (the inverse softmax temperature)", DefaultValueFactory = _ => new ZeroShotOptions().Scale,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Descriptions);
        command.Options.Add(Template);
        command.Options.Add(Scale);
    }

    /// <summary>
    /// With <c>--descriptions</c> on another method: the descriptions and options that start the new head (read and checked now, before
    /// the base model loads); null without <c>--descriptions</c>. <c>--template</c> and <c>--scale</c> alone are refused, since nothing reads them.
    /// </summary>
    public (LabelDescriptions Descriptions, ZeroShotOptions Options)? ReadHeadStart(ParseResult result, IReadOnlyList<string> labels, int? maxLength)
    {
        if (result.GetValue(Descriptions) is null)
        {
            foreach (Option option in new Option[] { Template, Scale })
                if (result.GetResult(option) is { Implicit: false })
                    throw CliException.Usage($"{option.Name} shapes the head made from --descriptions; add --descriptions, or drop {option.Name}");
            return null;
        }
        var options = CheckedOptions(result, maxLength, null);
        return (ReadDescriptions(result, labels, string.Join(",", labels)), options);
    }

    /// <summary>Starts <paramref name="classifier"/>'s head from <paramref name="start"/> (see <see cref="ReadHeadStart"/>).</summary>
    public static void StartHead(Classification.TextClassifier classifier, (LabelDescriptions Descriptions, ZeroShotOptions Options)? start)
    {
        if (start is not { } given) return;
        try
        {
            ZeroShotClassifier.InitializeHead(classifier, given.Descriptions, given.Options);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage($"--descriptions: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
        Console.WriteLine($"head: started from the label descriptions (template \"{given.Options.Template}\")");
    }

    /// <summary>Builds, saves and (with <c>--test</c>) scores the zero-shot classifier.</summary>
    public int Run(ParseResult result, string baseModel, string? labelNames, string? data, string output, string? testPath, DataOptions dataOptions,
        int? maxLength, Classification.PoolingStrategy? pooling, int? threads, string? json)
    {
        if (data is not null)
            throw CliException.Usage($"--data {data}: --method zero-shot learns from the label descriptions alone; drop --data, or train on it with --method setfit or finetune");
        if (labelNames is null)
            throw CliException.Usage("--method zero-shot needs --labels: the label names in id order, comma-separated, such as World,Sports,Business,Sci/Tech");
        var labels = labelNames.Split(',', StringSplitOptions.TrimEntries);
        if (labels.Any(l => l.Length == 0))
            throw CliException.Usage($"--labels {labelNames}: a label name is empty; write the names in id order separated by commas, such as Negative,Positive");
        var options = CheckedOptions(result, maxLength, pooling);
        var descriptions = ReadDescriptions(result, labels, labelNames);
        var console = ConsoleOutput.Begin(json);
        var test = testPath is null ? null : dataOptions.ReadExamples(result, "--test", testPath, new LabelSet(labels), Classification.ProblemType.SingleLabel,
            "the labels are those of --labels: correct the row, or add the label to --labels");
        BaseModelCheck.Check(baseModel, options.MaxLength, $"--max-length {options.MaxLength}");
        if (threads is int count) TorchSharp.torch.set_num_threads(count);

        var started = DateTime.UtcNow;
        using var classifier = ZeroShotClassifier.Create(baseModel, descriptions, options);
        classifier.Save(output);
        int sentences = Enumerable.Range(0, labels.Length).Sum(id => descriptions.Of(id).Count);
        Console.WriteLine($"zero-shot: {labels.Length} labels from {sentences} description(s), template \"{options.Template}\", scale {Report.F(options.Scale, "0.##")}; "
            + $"saved to {Path.GetFullPath(output)} ({Report.Duration(DateTime.UtcNow - started)})");
        EvaluationResult? testResult = null;
        if (test is not null)
        {
            using var tested = maxLength is int length ? classifier.WithSettings(classifier.Settings with { MaxLength = length }) : null;
            testResult = console.Progress.Count("testing", test.Count, done => Evaluation.Run(tested ?? classifier, test, null, done));
            Console.WriteLine();
            Console.WriteLine($"test: {testPath}");
            Report.Evaluation(testResult);
        }
        Report.WriteJson(json, new Dictionary<string, object?>
        {
            ["method"] = "zero-shot",
            ["base_model"] = baseModel,
            ["labels"] = labels,
            ["descriptions"] = Enumerable.Range(0, labels.Length).ToDictionary(id => labels[id], id => descriptions.Of(id)),
            ["options"] = options,
            ["test"] = testResult is null ? null : Report.EvaluationJson(testResult),
        });
        return 0;
    }

    ZeroShotOptions CheckedOptions(ParseResult result, int? maxLength, Classification.PoolingStrategy? pooling)
    {
        var options = new ZeroShotOptions { Template = result.GetValue(Template) ?? ZeroShotOptions.Placeholder, Scale = result.GetValue(Scale), MaxLength = maxLength ?? 128 };
        if (pooling is { } chosen) options = options with { Pooling = chosen };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            string option = e.Message.StartsWith("Template", StringComparison.Ordinal) ? "--template" : e.Message.StartsWith("Scale", StringComparison.Ordinal) ? "--scale" : "--max-length";
            throw CliException.Usage($"{option}: {e.Message}", e);
        }
        return options;
    }

    LabelDescriptions ReadDescriptions(ParseResult result, IReadOnlyList<string> labels, string labelNames)
    {
        try
        {
            return result.GetValue(Descriptions) is { } path ? LabelDescriptionsFile.Read(path, labels) : LabelDescriptions.For(labels);
        }
        catch (DataFormatException e)
        {
            throw CliException.BadInput($"--descriptions {e.Message}", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.BadInput($"--descriptions {result.GetValue(Descriptions)}: no such file", e);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage($"--labels {labelNames}: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }
}
