using System.CommandLine;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Cli.Reporting;
using TypedBert.Cli.Terminal;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Search;
using TypedBert.Search.Pruning;
using TypedBert.Search.Sampling;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>typedbert tune</c>: search training hyperparameters on the training data and an evaluation split, write the trials (table,
/// <c>study.json</c>, plots) and the chosen configuration (<c>best.json</c>), and with <c>--retrain-best</c> train it on the full training
/// file and score the test file once. The test file is checked before the first trial (its rows and labels) but scored only after the choice.
/// </summary>
internal static class TuneCommand
{
    /// <summary>The state file in the output folder, written after every trial (also the JSON record of the trials).</summary>
    public const string StateFile = "study.json";
    /// <summary>The chosen configuration, read by <c>typedbert train --config</c>.</summary>
    public const string BestFile = "best.json";
    /// <summary>The folder of the retrained model inside the output folder.</summary>
    public const string ModelFolder = "model";
    /// <summary>The metrics of the retrained model (its training and the single test evaluation).</summary>
    public const string RetrainFile = "retrain.json";

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training file (.tsv, .csv, .jsonl); the search trains on it (or on --train-rows of it)", Required = true };
        var eval = new Option<string?>("--eval") { Description = "Evaluation file the trials are compared on (default: a seeded --eval-fraction of --data)" };
        var test = new Option<string?>("--test") { Description = "Test file, scored once with the retrained best configuration (needs --retrain-best); checked before the search, never scored by it" };
        var model = new Option<string>("--model") { Description = "Base model: an embedded name, a Hugging Face folder, or a hub id", DefaultValueFactory = _ => EmbeddedModels.DefaultName };
        var output = new Option<string>("--output") { Description = "Folder for study.json, best.json, the plots and, with --retrain-best, the model", Required = true };
        var labels = new Option<string?>("--labels") { Description = "Label names in id order, comma-separated (default: the labels found in --data)" };
        var problem = new Option<ProblemType>("--problem-type") { Description = "SingleLabel, MultiLabel or Regression", DefaultValueFactory = _ => ProblemType.SingleLabel };
        var maxLength = new Option<int?>("--max-length") { Description = "Longest input in tokens for every trial (default: the model's maximum)" };
        var groupByLength = new Option<bool>("--group-by-length") { Description = "Batch texts of similar length together in every trial" };
        var threads = new Option<int?>("--threads");
        var bf16 = new Option<bool>("--bf16") { Description = "Every trial and the retrain in bf16 mixed precision (pays only on CPUs with AMX or AVX512-BF16; see typedbert train --bf16)" };
        var emaDecay = new Option<double?>("--ema-decay") { Description = "Every trial evaluates and keeps an exponential moving average of its weights with this decay" };
        var averageLastEpochs = new Option<int?>("--average-last-epochs") { Description = "Every trial evaluates and keeps the mean of its weights at the ends of its last N epochs" };
        var sampler = new Option<string>("--sampler") { Description = "halton: a scrambled Halton sequence (even coverage); random: independent draws", DefaultValueFactory = _ => "halton" };
        sampler.AcceptOnlyFromAmong("halton", "random");
        var samplerSeed = new Option<int>("--sampler-seed") { Description = "Seeds the sampler's points", DefaultValueFactory = _ => 0 };
        var pruner = new Option<string>("--pruner") { Description = "asha: successive halving stops trials that fall behind after an epoch; none: every trial runs every epoch", DefaultValueFactory = _ => "asha" };
        pruner.AcceptOnlyFromAmong("asha", "none");
        var minEpochs = new Option<int>("--min-epochs") { Description = "asha: epochs before the first comparison (rungs at this times 1, F, F^2, ...)", DefaultValueFactory = _ => 1 };
        var reductionFactor = new Option<int>("--reduction-factor") { Description = "asha: F, one in F trials goes on at each rung", DefaultValueFactory = _ => 3 };
        var trials = new Option<int?>("--trials") { Description = "Budget: trials in all, counting those of earlier sessions (default 12 without --time-limit)" };
        var timeLimit = new Option<string?>("--time-limit") { Description = "Budget: wall time in all, such as 90m, 2h, 45s or 1:30:00; a trial running then finishes" };
        var metric = new Option<BestModelMetric>("--metric") { Description = "Default (accuracy; loss for regression), Accuracy, MacroF1, MicroF1 or Loss (minimized)", DefaultValueFactory = _ => BestModelMetric.Default };
        var split = new EvaluationSplitOptions(defaultFraction: 0.1, "Search on a seeded subset of this many training rows (the retrain uses them all)");
        var resume = new Option<bool>("--resume") { Description = "Continue the search in --output (same data and settings; more --trials or --time-limit extends it)" };
        var retrainBest = new Option<bool>("--retrain-best") { Description = "After the search, train the best configuration on the full --data and score --test once" };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write no PNG plots" };
        var dataOptions = new DataOptions();
        var space = new SearchSpaceOptions();

        var command = new Command("tune", "Search training hyperparameters on the training data and an evaluation split; write the trials and the best configuration")
        {
            data, eval, test, model, output, labels, problem, maxLength, groupByLength, threads, bf16, emaDecay, averageLastEpochs, sampler, samplerSeed,
            pruner, minEpochs, reductionFactor, trials, timeLimit, metric, resume, retrainBest, noPlots,
        };
        split.AddTo(command);
        dataOptions.AddTo(command);
        space.AddTo(command);
        command.SetAction((result, cancellationToken) => Task.Run(() =>
        {
            var console = ConsoleOutput.Begin(null);
            string outputFolder = result.GetValue(output)!;
            string dataPath = result.GetValue(data)!;
            string? evalPath = result.GetValue(eval), testPath = result.GetValue(test);
            var problemType = result.GetValue(problem);
            HyperparameterSearch search;
            SearchSpace searchSpace;
            List<TrainingExample> searchTrain, searchEval;
            LabelSet labelSet;
            string trainedOn, evaluatedOn;
            // Everything that can be wrong with the input is checked here, before the first trial trains.
            try
            {
                if (testPath is not null && !result.GetValue(retrainBest))
                    throw new ArgumentException($"--test {testPath}: the test file is scored once, by the retrained best configuration; add --retrain-best, "
                        + $"or score it later with: typedbert train --config {Path.Combine(outputFolder, BestFile)} --data {dataPath} --test {testPath} ...");
                searchSpace = space.Read(result, problemType);
                var budget = Budget(result.GetValue(trials), result.GetValue(timeLimit));
                var baseOptions = new TrainingOptions
                {
                    MaxLength = result.GetValue(maxLength), GroupByLength = result.GetValue(groupByLength), Threads = result.GetValue(threads),
                    BFloat16MixedPrecision = result.GetValue(bf16), EmaDecay = result.GetValue(emaDecay), AverageLastEpochs = result.GetValue(averageLastEpochs), LoggingSteps = 10,
                };
                var options = new HyperparameterSearchOptions
                {
                    BaseOptions = baseOptions, Budget = budget, Metric = result.GetValue(metric),
                    Sampler = result.GetValue(sampler) == "random" ? new RandomSampler(result.GetValue(samplerSeed)) : new HaltonSampler(result.GetValue(samplerSeed)),
                    Pruner = result.GetValue(pruner) == "none" ? new NoPruner() : new SuccessiveHalvingPruner(result.GetValue(minEpochs), result.GetValue(reductionFactor)),
                    StatePath = Path.Combine(outputFolder, StateFile), Resume = result.GetValue(resume),
                };
                if (File.Exists(options.StatePath) && !options.Resume)
                    throw new ArgumentException($"{options.StatePath} holds a search already; add --resume to continue it, or choose another --output");
                if (!File.Exists(options.StatePath) && options.Resume)
                    throw new ArgumentException($"--resume: there is no search to continue in {outputFolder} ({StateFile} is missing); start without --resume");

                // The test file is checked (rows and labels) but not scored: the search never sees its scores.
                var inputs = TrainingInputs.Read(result, dataOptions, split, dataPath, evalPath, testPath, result.GetValue(labels), problemType);
                labelSet = inputs.Labels;
                (searchTrain, searchEval) = (inputs.Train, inputs.Eval!);
                (trainedOn, evaluatedOn) = (inputs.TrainedOn, inputs.EvaluatedOn!);
                BaseModelCheck.Check(result.GetValue(model)!, baseOptions.MaxLength, $"--max-length {baseOptions.MaxLength}");
                search = new HyperparameterSearch(result.GetValue(model)!, labelSet.Names, problemType, searchSpace, options);
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(space.Explain(e), e);
            }

            Console.WriteLine($"search: {search.MetricName} ({(search.Direction == StudyDirection.Maximize ? "higher" : "lower")} is better) of {result.GetValue(model)}; labels: {string.Join(", ", labelSet.Names)}");
            Console.WriteLine($"training on {trainedOn}");
            Console.WriteLine($"evaluating on {evaluatedOn}");
            Console.WriteLine(testPath is null
                ? "no test file: nothing is scored beyond the evaluation data"
                : $"test file {testPath}: checked, not scored by the search; scored once, after the choice, by the retrained best configuration");
            Console.WriteLine($"space: {searchSpace.Describe()}");
            Console.WriteLine($"sampler: {search.Options.Sampler.Describe()}; pruner: {search.Options.Pruner.Describe()}{(search.Options.Pruner is SuccessiveHalvingPruner ? " (a step is an epoch: trials report after each)" : "")}; budget: {BudgetText(search.Options.Budget)}");
            if (search.Options.Resume) Console.WriteLine($"resuming the search in {Path.GetFullPath(search.Options.StatePath!)}");

            var view = new SearchResultView(search.MetricName, search.Direction);
            var observer = new ConsoleObserver(console, view, search.Options.Budget);
            SearchResult found;
            try
            {
                found = search.Run(searchTrain, searchEval, observer, cancellationToken);
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith("cannot resume", StringComparison.Ordinal))
            {
                throw CliException.Usage(e.Message, e);
            }

            Console.WriteLine();
            if (found.ResumedTrials > 0) Console.WriteLine($"{found.ResumedTrials} trial(s) came from the saved search; {found.Trials.Count - found.ResumedTrials} ran now");
            SearchReport.Table(found.Trials, searchSpace, view);
            Console.WriteLine($"{found.Trials.Count} trials ({found.Trials.Count(t => t.State == TrialState.Complete)} complete, {found.Trials.Count(t => t.State == TrialState.Pruned)} pruned, "
                + $"{found.Trials.Count(t => t.State == TrialState.Failed)} failed) in {Report.Duration(found.Elapsed)}; state: {Path.GetFullPath(search.Options.StatePath!)}");
            if (!result.GetValue(noPlots))
            {
                var plots = new SearchPlots().Write(outputFolder, found);
                if (PlotFonts.Ensure() is null)
                    Console.Error.WriteLine($"no font found: the plots have no text; install one (Debian: fonts-dejavu-core) or set {PlotFonts.FontVariable} to a .ttf file");
                Console.WriteLine($"plots: {string.Join(", ", plots.Select(Path.GetFileName))}");
            }
            if (found.Best is not { } best)
            {
                Console.Error.WriteLine("no trial completed, so there is no best configuration; widen the space, raise the budget, or use --pruner none");
                return 1;
            }
            var configuration = BestConfiguration.From(found, result.GetValue(model)!, search.Options.BaseOptions, labelSet.Names) with { EvaluatedOn = evaluatedOn, TrainedOn = trainedOn };
            string bestPath = Path.Combine(outputFolder, BestFile);
            configuration.Write(bestPath);
            Console.WriteLine($"best: trial {best.Number}, {search.MetricName} {SearchReport.Value(best.Value!.Value)} (epoch {configuration.BestEpoch}) on {evaluatedOn}: {best.Parameters}");
            Console.WriteLine($"wrote {bestPath}");

            var retrain = RetrainArguments(result, dataOptions, bestPath, dataPath, evalPath, testPath, outputFolder, labels, problem, threads, bf16);
            Console.WriteLine($"train it on the full training file: typedbert {string.Join(" ", retrain.Select(Quote))}");

            if (evalPath is null && configuration.BestEpoch is int bestEpoch && bestEpoch < configuration.Epochs)
                Console.WriteLine($"the trial's best evaluation came after epoch {bestEpoch} of {configuration.Epochs}; without an evaluation file the retrain keeps its last epoch, "
                    + $"so add --epochs {bestEpoch} to train for {bestEpoch} (the learning-rate schedule then ends sooner)");
            if (!result.GetValue(retrainBest)) return 0;

            Console.WriteLine();
            Console.WriteLine(evalPath is null
                ? $"retraining the best configuration on all of {dataPath}, the evaluation slice included; with no evaluation file the last epoch is kept"
                : $"retraining the best configuration on all of {dataPath}, choosing its epoch on {evalPath}");
            if (testPath is not null) Console.WriteLine($"the test file {testPath} is scored once, now, after the choice");
            // Failures reach the caller's handler (one line, no trace), as the search's own do.
            return TrainCommand.Create().Parse(retrain).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }, cancellationToken));
        return command;
    }

    static SearchBudget Budget(int? trials, string? timeLimit)
    {
        TimeSpan? time = timeLimit is null ? null : ParseDuration(timeLimit);
        var budget = new SearchBudget(trials ?? (time is null ? 12 : null), time);
        try
        {
            budget.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{(trials is < 1 ? $"--trials {trials}" : $"--time-limit {timeLimit}")}: {e.Message}");
        }
        return budget;
    }

    /// <summary>Reads 45s, 90m, 2h, 1.5h or 1:30:00.</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length > 1 && "smh".Contains(trimmed[^1])
            && double.TryParse(trimmed[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && double.IsFinite(amount))
            return trimmed[^1] switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) };
        if (trimmed.Contains(':') && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span)) return span;
        throw new ArgumentException($"--time-limit {text}: write a duration such as 45s, 90m, 2h or 1:30:00");
    }

    static string BudgetText(SearchBudget budget) => string.Join(" or ", new[]
    {
        budget.Trials is int n ? $"{n} trials" : null,
        budget.Time is TimeSpan t ? Report.Duration(t) : null,
    }.OfType<string>());

    /// <summary>The <c>typedbert train</c> arguments that train the chosen configuration on the full training file.</summary>
    static List<string> RetrainArguments(ParseResult result, DataOptions dataOptions, string bestPath, string dataPath, string? evalPath, string? testPath,
        string outputFolder, Option<string?> labels, Option<ProblemType> problem, Option<int?> threads, Option<bool> bf16)
    {
        var arguments = new List<string> { "train", "--config", bestPath, "--data", dataPath };
        if (evalPath is not null) arguments.AddRange(["--eval", evalPath]);
        if (testPath is not null) arguments.AddRange(["--test", testPath]);
        arguments.AddRange(["--output", Path.Combine(outputFolder, ModelFolder), "--json", Path.Combine(outputFolder, RetrainFile)]);
        arguments.AddRange(["--text-column", result.GetValue(dataOptions.TextColumn)!, "--label-column", result.GetValue(dataOptions.LabelColumn)!]);
        if (result.GetValue(dataOptions.PairColumn) is { } pair) arguments.AddRange(["--pair-column", pair]);
        if (result.GetValue(dataOptions.SkipBadRows)) arguments.Add("--skip-bad-rows");
        if (result.GetValue(labels) is { } names) arguments.AddRange(["--labels", names]);
        if (result.GetValue(problem) is var problemType && problemType != ProblemType.SingleLabel) arguments.AddRange(["--problem-type", problemType.ToString()]);
        if (result.GetValue(threads) is int count) arguments.AddRange(["--threads", count.ToString(CultureInfo.InvariantCulture)]);
        // Not in best.json: bf16 is how fast this machine trains, not what was chosen; the retrain trains as the trials did.
        if (result.GetValue(bf16)) arguments.Add("--bf16");
        return arguments;
    }

    static string Quote(string argument) => argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''")}'";

    /// <summary>Prints a line as each trial starts and ends and shows its training with the command's progress view.</summary>
    sealed class ConsoleObserver(ConsoleOutput console, SearchResultView view, SearchBudget budget) : ISearchObserver
    {
        public void TrialStarting(int number, TrialParameters parameters)
        {
            Console.WriteLine();
            Console.WriteLine($"trial {number}{(budget.Trials is int n ? $" ({number + 1} of {n})" : "")}: {parameters}");
        }

        public TrainingResult Train(Func<IProgress<TrainingProgress>?, TrainingResult> train) => console.Progress.Train(progress => train(progress));

        public void TrialFinished(Trial trial) => Console.WriteLine(SearchReport.Outcome(trial, view));
    }
}
