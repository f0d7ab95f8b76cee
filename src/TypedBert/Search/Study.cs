using System.Diagnostics;
using TypedBert.Search.Pruning;
using TypedBert.Search.Sampling;

namespace TypedBert.Search;

/// <summary>
/// Runs trials of an objective over a <see cref="SearchSpace"/> until the budget is spent (Optuna's study): the sampler picks each
/// trial's point, the objective trains and reports, the pruner may stop it early, and the state is saved after every trial, so that a
/// search that crashed or was stopped continues with its next trial and never runs a finished one again.
/// </summary>
internal sealed class Study
{
    readonly SearchSpace space;
    readonly ISampler sampler;
    readonly IPruner pruner;
    readonly StudyStore? store;
    readonly Dictionary<string, string> settings;
    readonly List<Trial> trials = [];
    TimeSpan elapsedBefore;

    /// <summary>
    /// A study of <paramref name="space"/>. With <paramref name="store"/>, its state is saved there after every trial; an existing state is
    /// continued when <paramref name="resume"/> is set (its settings must be these) and refused otherwise, so a search is never overwritten.
    /// </summary>
    /// <param name="space">The dimensions searched.</param>
    /// <param name="sampler">Picks each trial's point.</param>
    /// <param name="pruner">Stops weak trials early.</param>
    /// <param name="direction">Whether larger or smaller objective values are better.</param>
    /// <param name="store">Where the state goes; null keeps it in memory only.</param>
    /// <param name="resume">Continue the state in <paramref name="store"/>.</param>
    /// <param name="extraSettings">What else must stay the same for a resumed study to be the same search (data, model, fixed options).</param>
    /// <exception cref="ArgumentException">The space is empty or contradictory.</exception>
    /// <exception cref="InvalidOperationException">A state exists without <paramref name="resume"/>, or with other settings; the message says which.</exception>
    public Study(SearchSpace space, ISampler sampler, IPruner pruner, StudyDirection direction, StudyStore? store = null, bool resume = false,
        IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        space.Validate();
        this.space = space;
        this.sampler = sampler;
        this.pruner = pruner;
        this.store = store;
        Direction = direction;
        settings = new Dictionary<string, string>
        {
            ["space"] = space.Describe(), ["sampler"] = sampler.Describe(), ["pruner"] = pruner.Describe(), ["direction"] = direction.ToString().ToLowerInvariant(),
        };
        foreach (var (name, value) in extraSettings ?? new Dictionary<string, string>()) settings[name] = value;
        if (store is null || !store.Exists) return;
        if (!resume) throw new InvalidOperationException($"{store.Path} already holds a search; resume it, or choose another folder to start a new one");
        var saved = store.Load(space);
        var differences = settings.Keys.Union(saved.Settings.Keys).Order(StringComparer.Ordinal)
            .Where(k => settings.GetValueOrDefault(k) != saved.Settings.GetValueOrDefault(k))
            .Select(k => $"{k}: \"{saved.Settings.GetValueOrDefault(k) ?? "none"}\" in the saved search, \"{settings.GetValueOrDefault(k) ?? "none"}\" now").ToList();
        if (differences.Count > 0)
            throw new InvalidOperationException($"cannot resume the search in {store.Path}: it was run with other settings ({string.Join("; ", differences)}); run it as it was, or choose another folder");
        trials.AddRange(saved.Trials);
        ResumedTrials = saved.Trials.Count;
        elapsedBefore = TimeSpan.FromSeconds(saved.ElapsedSeconds);
    }

    /// <summary>Whether larger or smaller values are better.</summary>
    public StudyDirection Direction { get; }

    /// <summary>The finished trials, those of earlier sessions first.</summary>
    public IReadOnlyList<Trial> Trials => trials;

    /// <summary>How many trials came from the saved state when the study was opened.</summary>
    public int ResumedTrials { get; }

    /// <summary>The best complete trial so far, or null.</summary>
    public Trial? Best => BestOf(trials, Direction);

    /// <summary>The state as saved after every trial.</summary>
    public StudyState State(TimeSpan elapsed) => new(settings, Direction, [.. trials], elapsed.TotalSeconds);

    /// <summary>
    /// Runs trials of <paramref name="objective"/> until <paramref name="budget"/> is spent, saving the state after each; returns the state.
    /// The objective returns the trial's value, reports intermediate values through its <see cref="TrialRun"/> and stops when
    /// <see cref="TrialRun.ShouldPrune"/> says so (or throws <see cref="TrialPrunedException"/>).
    /// </summary>
    /// <param name="objective">Runs one trial.</param>
    /// <param name="budget">When to stop; trials of earlier sessions count.</param>
    /// <param name="recordAsFailed">Errors that end only their trial, recorded as failed (a diverged training); others stop the study, and the trial they
    /// interrupted runs again on resumption.</param>
    /// <param name="starting">Told each trial's number and parameters before it runs.</param>
    /// <param name="finished">Told each trial after it is saved.</param>
    /// <param name="cancellationToken">Stops the study between trials; the objective should watch it too.</param>
    public StudyState Optimize(Func<TrialRun, double> objective, SearchBudget budget, Func<Exception, bool>? recordAsFailed = null,
        Action<int, TrialParameters>? starting = null, Action<Trial>? finished = null, CancellationToken cancellationToken = default)
    {
        budget.Validate();
        var clock = Stopwatch.StartNew();
        TimeSpan Elapsed() => elapsedBefore + clock.Elapsed;
        while (budget.AllowsAnother(trials.Count, Elapsed()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int number = trials.Count;
            var parameters = space.Decode(sampler.Point(number, space.Searched.Count));
            starting?.Invoke(number, parameters);
            var run = new TrialRun(number, parameters, pruner, [.. trials], Direction);
            var trialClock = Stopwatch.StartNew();
            Trial trial;
            try
            {
                double value = objective(run);
                trial = run.Pruned
                    ? new Trial(number, TrialState.Pruned, parameters, null, run.Intermediate, trialClock.Elapsed.TotalSeconds)
                    : new Trial(number, TrialState.Complete, parameters, value, run.Intermediate, trialClock.Elapsed.TotalSeconds);
            }
            catch (TrialPrunedException)
            {
                trial = new Trial(number, TrialState.Pruned, parameters, null, run.Intermediate, trialClock.Elapsed.TotalSeconds);
            }
            catch (Exception e) when (e is not OperationCanceledException && recordAsFailed?.Invoke(e) == true)
            {
                trial = new Trial(number, TrialState.Failed, parameters, null, run.Intermediate, trialClock.Elapsed.TotalSeconds, e.Message);
            }
            trials.Add(trial);
            store?.Save(State(Elapsed()));
            finished?.Invoke(trial);
        }
        var state = State(Elapsed());
        store?.Save(state);
        return state;
    }

    /// <summary>The best complete trial of <paramref name="trials"/> in <paramref name="direction"/> (the earliest of equals), or null.</summary>
    public static Trial? BestOf(IEnumerable<Trial> trials, StudyDirection direction)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is double v && !double.IsNaN(v)).ToList();
        if (complete.Count == 0) return null;
        return direction == StudyDirection.Maximize
            ? complete.Aggregate((best, t) => t.Value > best.Value ? t : best)
            : complete.Aggregate((best, t) => t.Value < best.Value ? t : best);
    }
}
