using System.Text.Json;
using TypedBert.Search;
using TypedBert.Search.Pruning;
using TypedBert.Search.Sampling;

namespace TypedBert.Tests.Search;

/// <summary>The study runner: the budget, the state file written after every trial, and resuming a search that stopped.</summary>
public sealed class StudyTests
{
    static SearchSpace Space => new([new LogUniformDimension("learning_rate", 1e-5, 1e-3), new IntDimension("epochs", 1, 4)]);

    static Study Open(string? statePath, bool resume = false, string data = "train:100") =>
        new(Space, new HaltonSampler(3), new NoPruner(), StudyDirection.Maximize, statePath is null ? null : new StudyStore(statePath), resume,
            new Dictionary<string, string> { ["training data"] = data });

    static double Objective(TrialRun run)
    {
        run.Report(1, run.Parameters.Double("learning_rate") * 1000);
        return run.Parameters.Double("learning_rate") * 1000 + run.Parameters.Int("epochs");
    }

    sealed class Crash() : Exception("the machine went down");

    [Fact]
    public void A_resumed_search_keeps_its_finished_trials_and_continues_with_the_parameters_an_uninterrupted_one_would_try()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("study.json");
        var uninterrupted = Open(null).Optimize(Objective, new SearchBudget(Trials: 5));

        // The first session dies during trial 3: the state on disk holds trials 0 to 2.
        Assert.Throws<Crash>(() => Open(path).Optimize(run => run.Number == 3 ? throw new Crash() : Objective(run), new SearchBudget(Trials: 5)));
        using (var saved = JsonDocument.Parse(File.ReadAllText(path)))
            Assert.Equal([0, 1, 2], saved.RootElement.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("number").GetInt32()));

        // A kill in the middle of the next write would leave its temporary file beside the complete state.
        string leftover = folder.File(".study.json.0123456789abcdef.tmp");
        File.WriteAllText(leftover, File.ReadAllText(path)[..40]);

        var ran = new List<int>();
        var resumed = Open(path, resume: true);
        Assert.False(File.Exists(leftover));
        Assert.Equal(3, resumed.ResumedTrials);
        var state = resumed.Optimize(run => { ran.Add(run.Number); return Objective(run); }, new SearchBudget(Trials: 5));
        Assert.Equal([3, 4], ran);                                      // trials 0 to 2 are not run again
        Assert.Equal(5, state.Trials.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(uninterrupted.Trials[i].Parameters.Double("learning_rate"), state.Trials[i].Parameters.Double("learning_rate"));
            Assert.Equal(uninterrupted.Trials[i].Parameters.Int("epochs"), state.Trials[i].Parameters.Int("epochs"));
            Assert.Equal(uninterrupted.Trials[i].Value, state.Trials[i].Value);
            Assert.Equal(uninterrupted.Trials[i].Intermediate, state.Trials[i].Intermediate);
        }
        Assert.Equal(uninterrupted.Best!.Number, state.Best!.Number);

        // Asking for more trials later continues the same search.
        var more = Open(path, resume: true).Optimize(run => { ran.Add(run.Number); return Objective(run); }, new SearchBudget(Trials: 6));
        Assert.Equal([3, 4, 5], ran);
        Assert.Equal(6, more.Trials.Count);
    }

    [Fact]
    public void An_existing_search_is_neither_overwritten_nor_resumed_with_other_settings()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("study.json");
        Open(path).Optimize(Objective, new SearchBudget(Trials: 1));
        Assert.Contains("already holds a search", Assert.Throws<InvalidOperationException>(() => Open(path)).Message);
        var error = Assert.Throws<InvalidOperationException>(() => Open(path, resume: true, data: "train:99"));
        Assert.Contains("training data: \"train:100\" in the saved search, \"train:99\" now", error.Message);
        var otherSpace = new SearchSpace([new LogUniformDimension("learning_rate", 1e-5, 1e-2), new IntDimension("epochs", 1, 4)]);
        error = Assert.Throws<InvalidOperationException>(() => new Study(otherSpace, new HaltonSampler(3), new NoPruner(), StudyDirection.Maximize, new StudyStore(path), resume: true,
            new Dictionary<string, string> { ["training data"] = "train:100" }));
        Assert.Contains("space:", error.Message);
        File.WriteAllText(path, "{\"format\": 1, \"settings\": ");
        Assert.Contains("not a TypedBert study state", Assert.Throws<InvalidDataException>(() => Open(path, resume: true)).Message);
    }

    [Fact]
    public void The_state_is_on_disk_after_every_trial_and_a_write_that_fails_midway_leaves_the_previous_state()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("study.json");
        int TrialsOnDisk()
        {
            using var saved = JsonDocument.Parse(File.ReadAllText(path));
            return saved.RootElement.GetProperty("trials").GetArrayLength();
        }
        var seen = new List<int>();
        Open(path).Optimize(run => { seen.Add(File.Exists(path) ? TrialsOnDisk() : 0); return Objective(run); }, new SearchBudget(Trials: 3));
        Assert.Equal([0, 1, 2], seen);                                  // trial n starts with trials 0..n-1 saved
        string before = File.ReadAllText(path);

        var study = Open(path, resume: true);
        var store = new StudyStore(path) { MidWrite = () => throw new IOException("no space left on device") };
        var state = study.Optimize(Objective, new SearchBudget(Trials: 4));
        Assert.Throws<IOException>(() => store.Save(state));
        Assert.Equal(4, state.Trials.Count);
        Assert.NotEqual(before, File.ReadAllText(path));                // the study's own save of trial 3 went through
        string complete = File.ReadAllText(path);
        Assert.Throws<IOException>(() => store.Save(state with { ElapsedSeconds = 1e6 }));
        Assert.Equal(complete, File.ReadAllText(path));                 // the interrupted write left the complete file as it was
        Assert.Equal(["study.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));  // and no temporary file
    }

    [Fact]
    public void A_budget_of_nothing_is_refused_and_time_counts_across_sessions()
    {
        Assert.Contains("allows 0 trials", Assert.Throws<ArgumentException>(() => Open(null).Optimize(Objective, new SearchBudget(Trials: 0))).Message);
        Assert.Contains("sets no limit", Assert.Throws<ArgumentException>(() => new SearchBudget().Validate()).Message);
        Assert.Contains("positive duration", Assert.Throws<ArgumentException>(() => new SearchBudget(Time: TimeSpan.Zero).Validate()).Message);

        var timed = Open(null).Optimize(run => { Thread.Sleep(100); return Objective(run); }, new SearchBudget(Time: TimeSpan.FromMilliseconds(30)));
        Assert.Single(timed.Trials);                                    // the running trial finishes; no other starts

        using var folder = new TemporaryFolder();
        string path = folder.File("study.json");
        var first = Open(path).Optimize(run => { Thread.Sleep(100); return Objective(run); }, new SearchBudget(Trials: 2));
        Assert.True(first.ElapsedSeconds >= 0.2);
        var resumed = Open(path, resume: true).Optimize(Objective, new SearchBudget(Time: TimeSpan.FromSeconds(0.15)));
        Assert.Equal(2, resumed.Trials.Count);                          // 0.2 s were spent before; no time is left
    }

    [Fact]
    public void Errors_the_study_is_told_to_record_fail_only_their_trial()
    {
        var state = Open(null).Optimize(run => run.Number == 1 ? throw new ArithmeticException("the loss became NaN") : Objective(run),
            new SearchBudget(Trials: 3), recordAsFailed: e => e is ArithmeticException);
        Assert.Equal([TrialState.Complete, TrialState.Failed, TrialState.Complete], state.Trials.Select(t => t.State));
        Assert.Equal("the loss became NaN", state.Trials[1].Error);
        Assert.Throws<InvalidCastException>(() => Open(null).Optimize(_ => throw new InvalidCastException(), new SearchBudget(Trials: 3), recordAsFailed: e => e is ArithmeticException));
    }
}
