using System.Globalization;
using TypedBert.Search;

namespace TypedBert.Cli.Commands;

/// <summary>What <c>typedbert tune</c> prints about its trials: a line as each starts and ends, and the table of all of them.</summary>
internal static class SearchReport
{
    public static string Value(double value) => Report.F(value, "0.0000");

    /// <summary>One line about a finished trial: its value and best epoch, or where it was pruned, or why it failed.</summary>
    public static string Outcome(Trial trial, SearchResultView view) => trial.State switch
    {
        TrialState.Complete => $"trial {trial.Number}: {view.MetricName} {Value(trial.Value!.Value)} (epoch {trial.BestStep(view.Direction)}), {Report.Duration(TimeSpan.FromSeconds(trial.Seconds))}",
        TrialState.Pruned => $"trial {trial.Number}: pruned after epoch {trial.Intermediate[^1].Step} ({view.MetricName} {Value(trial.Intermediate[^1].Value)} fell behind the earlier trials), {Report.Duration(TimeSpan.FromSeconds(trial.Seconds))}",
        _ => $"trial {trial.Number}: failed ({trial.Error}), {Report.Duration(TimeSpan.FromSeconds(trial.Seconds))}",
    };

    /// <summary>Every trial: number (the best marked *), state, value, epochs run, each searched parameter, time.</summary>
    public static void Table(IReadOnlyList<Trial> trials, SearchSpace space, SearchResultView view)
    {
        var searched = space.Searched.Select(d => d.Name).ToList();
        var best = trials.Best(view.Direction);
        Report.Table(["trial", "state", view.MetricName, "epochs run", .. searched, "time"], trials.Select(t => (IReadOnlyList<string>)
        [
            t.Number.ToString(CultureInfo.InvariantCulture) + (t.Number == best?.Number ? " *" : ""),
            t.State.ToString().ToLowerInvariant(),
            t.Value is double v ? Value(v) : t.Intermediate.Count > 0 ? $"({Value(t.Intermediate[^1].Value)})" : "-",
            t.Intermediate.Count > 0 ? t.Intermediate[^1].Step.ToString(CultureInfo.InvariantCulture) : "-",
            .. searched.Select(name => TrialParameters.Format(t.Parameters[name])),
            Report.Duration(TimeSpan.FromSeconds(t.Seconds)),
        ]));
    }
}

/// <summary>The figures the search report needs about the objective.</summary>
internal sealed record SearchResultView(string MetricName, StudyDirection Direction);
