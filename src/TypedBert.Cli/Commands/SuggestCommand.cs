using System.CommandLine;
using System.Globalization;
using System.Text;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Data;
using TypedBert.Serialization;
using TypedBert.Suggestions;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>typedbert suggest</c>: which texts of an unlabelled pool to label next, by how unsure the model is of them (a zero-shot model when
/// nothing is labelled yet), leaving out the texts a labelled file holds already.
/// </summary>
internal static class SuggestCommand
{
    /// <summary>The strategies by their command-line names.</summary>
    static readonly Dictionary<string, SuggestionStrategy> Strategies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["random"] = SuggestionStrategy.Random, ["least-confidence"] = SuggestionStrategy.LeastConfidence, ["margin"] = SuggestionStrategy.Margin,
        ["entropy"] = SuggestionStrategy.Entropy, ["diverse"] = SuggestionStrategy.Diverse,
    };

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Classifier folder (a zero-shot one when nothing is labelled yet)", Required = true };
        var pool = new Option<string>("--pool") { Description = "Unlabelled texts (.tsv, .csv, .jsonl with a text column; any label column is never read)", Required = true };
        var labelled = new Option<string?>("--labelled") { Description = "The data file labelled so far: its texts are never suggested again" };
        var count = new Option<int>("--count") { Description = "How many texts to suggest", DefaultValueFactory = _ => 50 };
        var strategy = new Option<string>("--strategy")
        {
            Description = "random | least-confidence | margin | entropy | diverse (the most uncertain by margin, spread over the embedding space)",
            DefaultValueFactory = _ => "diverse",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of random and of diverse's clustering: the same seed, pool and model give the same texts", DefaultValueFactory = _ => 42 };
        var textColumn = new Option<string>("--text-column") { Description = "The text column of --pool and --labelled", DefaultValueFactory = _ => DataColumnDefaults.Text };
        var output = new Option<string?>("--output") { Description = "Write the suggestions to this .tsv (text, predicted, uncertainty, pool_line) instead of a table" };
        var command = new Command("suggest", "Suggest which unlabelled texts to label next (active learning)")
            { model, pool, labelled, count, strategy, seed, textColumn, output };
        command.SetAction(result =>
        {
            int wanted = result.GetValue(count);
            if (wanted < 1) throw CliException.Usage($"--count {wanted}: suggest at least one text; give 1 or more");
            string strategyName = result.GetValue(strategy)!;
            if (!Strategies.TryGetValue(strategyName, out var chosen))
                throw CliException.Usage($"--strategy {strategyName}: not a strategy; use one of {string.Join(", ", Strategies.Keys)}");
            string column = result.GetValue(textColumn)!;
            var rows = ReadTexts("--pool", result.GetValue(pool)!, column);
            var pooled = rows.Select(r => r.Text).ToList();
            if (pooled.All(string.IsNullOrWhiteSpace))
                throw CliException.BadInput($"--pool {result.GetValue(pool)}: no text in column \"{column}\"; give the pool at least one text");
            var done = result.GetValue(labelled) is { } labelledPath ? ReadTexts("--labelled", labelledPath, column).Select(r => r.Text).ToList() : [];

            using var classifier = TextClassifier.Load(result.GetValue(model)!);
            var started = DateTime.UtcNow;
            var suggestions = classifier.Suggest(pooled, wanted, new SuggestionOptions { Strategy = chosen, Seed = result.GetValue(seed), Labelled = done });
            double seconds = (DateTime.UtcNow - started).TotalSeconds;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{suggestions.Count} of {pooled.Count} pool texts suggested ({strategyName}, {done.Count} labelled texts left out) in {seconds:0.0} s"));
            if (result.GetValue(output) is { } path)
            {
                var tsv = new StringBuilder("text\tpredicted\tuncertainty\tpool_line\n");
                foreach (var s in suggestions)
                    tsv.Append(Field(s.Text)).Append('\t').Append(Field(s.Prediction.Label)).Append('\t')
                        .Append(s.Uncertainty.ToString("0.####", CultureInfo.InvariantCulture)).Append('\t').Append(rows[s.Index].Line).Append('\n');
                AtomicFile.WriteAllText(path, tsv.ToString());
                Console.Error.WriteLine($"wrote {path}");
            }
            else
                Report.Table(["line", "uncertainty", "predicted", "text"], suggestions.Select(s => (IReadOnlyList<string>)
                    [rows[s.Index].Line.ToString(CultureInfo.InvariantCulture), s.Uncertainty.ToString("0.000", CultureInfo.InvariantCulture), s.Prediction.Label, s.Text]));
            return 0;
        });
        return command;
    }

    /// <summary>The rows of <paramref name="path"/>' text column; a file that cannot be read is bad input naming the option, the file and the line.</summary>
    static List<DataRow> ReadTexts(string option, string path, string column)
    {
        try
        {
            // The text column stands in for the label column: labels are never read here.
            return DataFile.Read(path, new DataColumns(column, column.Split(',')[0].Trim()));
        }
        catch (DataFormatException e)
        {
            throw CliException.BadInput($"{option} {e.Message}" + (e.MissingColumn is null ? "" : "; name the text column with --text-column (or rename it in the file)"), e);
        }
        catch (FileNotFoundException e)
        {
            throw CliException.BadInput($"{option} {path}: no such file", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw CliException.BadInput($"{option} {path}: no such folder", e);
        }
        catch (NotSupportedException e)
        {
            throw CliException.BadInput($"{option} {e.Message}", e);
        }
    }

    /// <summary>A TSV field as Python's csv module writes it: quoted when it holds a tab, a quote or a line break.</summary>
    static string Field(string value) =>
        value.IndexOfAny(['\t', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
