using System.CommandLine;
using TypedBert.Cli.Errors;
using TypedBert.Data;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>--eval-fraction</c>, <c>--split-seed</c> and <c>--train-rows</c>, shared by train and tune: without <c>--eval</c>, a seeded share of
/// <c>--data</c> is held out for evaluation (<see cref="DataSplit.HoldOut"/>), and the training rows can be cut to a seeded subset
/// (<see cref="DataSplit.Sample"/>). The same file, fraction and seed give the same rows in both commands.
/// </summary>
/// <param name="defaultFraction">The held-out share when <c>--eval-fraction</c> is not given (tune: 0.1), or null for none (train).</param>
/// <param name="trainRowsDescription">What <c>--train-rows</c> does in the command.</param>
internal sealed class EvaluationSplitOptions(double? defaultFraction, string trainRowsDescription)
{
    public Option<double?> EvalFraction { get; } = new("--eval-fraction")
    {
        Description = defaultFraction is null
            ? "Without --eval: hold out this share of --data for evaluation (a seeded slice, such as 0.1)"
            : "Without --eval: the share of --data held out for evaluation",
        DefaultValueFactory = _ => defaultFraction,
    };

    public Option<int> SplitSeed { get; } = new("--split-seed", "--eval-seed")
    {
        Description = "Seeds the evaluation slice carved off --data and the --train-rows subset",
        DefaultValueFactory = _ => 42,
    };

    public Option<int?> TrainRows { get; } = new("--train-rows") { Description = trainRowsDescription };

    public void AddTo(Command command)
    {
        command.Options.Add(EvalFraction);
        command.Options.Add(SplitSeed);
        command.Options.Add(TrainRows);
    }

    /// <summary>The training and evaluation examples, with a sentence for each that says where they came from.</summary>
    /// <param name="result">The parsed command line.</param>
    /// <param name="all">Every example of <paramref name="dataPath"/>.</param>
    /// <param name="eval">The examples of <paramref name="evalPath"/>, when given; no slice is carved off then.</param>
    public (List<TrainingExample> Train, List<TrainingExample>? Eval, string TrainedOn, string? EvaluatedOn) Apply(
        ParseResult result, List<TrainingExample> all, List<TrainingExample>? eval, string dataPath, string? evalPath)
    {
        int seed = result.GetValue(SplitSeed);
        List<TrainingExample> train = all;
        string? evaluatedOn = evalPath is null ? null : $"{evalPath} ({eval!.Count} rows)";
        if (evalPath is null && result.GetValue(EvalFraction) is double fraction)
        {
            try
            {
                (train, eval) = DataSplit.HoldOut(all, fraction, seed);
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage($"--eval-fraction {Report.F(fraction, "0.###")}: {e.Message.Split(" (Parameter", 2)[0]}", e);
            }
            evaluatedOn = $"{Report.F(fraction * 100, "0.##")} % of {dataPath} ({eval.Count} rows, --eval-fraction {Report.F(fraction, "0.###")} --split-seed {seed})";
        }
        string trainedOn = evalPath is null && eval is not null ? $"the other {train.Count} rows of {dataPath}" : $"{dataPath} ({train.Count} rows)";
        if (result.GetValue(TrainRows) is int rows)
        {
            if (rows < 1) throw CliException.Usage($"--train-rows {rows}: give at least 1 row");
            int available = train.Count;
            train = DataSplit.Sample(train, rows, seed);
            trainedOn = $"{train.Count} of {available} training rows of {dataPath} (--train-rows {rows} --split-seed {seed})";
        }
        return (train, eval, trainedOn, evaluatedOn);
    }
}
