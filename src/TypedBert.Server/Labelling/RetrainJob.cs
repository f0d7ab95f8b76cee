using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Serialization;
using TypedBert.Server.Batching;
using TypedBert.Server.Repository;
using TypedBert.Training;
using TypedBert.Training.FewShot;

namespace TypedBert.Server.Labelling;

/// <summary>
/// The page's "retrain": in the background, trains the model the server started with on the labelled file less a held-out slice
/// (<see cref="HeldOutSplit"/>), scores the new model and the served one on that slice, and puts the new one in service only when it is
/// better (<see cref="LiveModel.Swap"/>); the served model answers until then, and afterwards when the new one is not better. A model put in
/// service is saved first (beside the data file, in <c>&lt;data&gt;.models/&lt;n&gt;/</c>) so that a restart can serve it. One run at a time.
/// </summary>
internal sealed partial class RetrainJob(TypedBertServerOptions options, LabelDataFile data, LiveModel live, RetrainSettings settings,
    IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<RetrainJob> logger)
{
    readonly Lock gate = new();
    RetrainStatus status = RetrainStatus.Idle;
    Task running = Task.CompletedTask;

    /// <summary>What the job is doing or last did.</summary>
    public RetrainStatus Status
    {
        get
        {
            lock (gate) return status;
        }
    }

    /// <summary>The run in progress or the last one (tests wait on it).</summary>
    internal Task Running
    {
        get
        {
            lock (gate) return running;
        }
    }

    /// <summary>Starts a run unless one is going; false when one is.</summary>
    public bool TryStart()
    {
        lock (gate)
        {
            if (status.State == "training") return false;
            status = new RetrainStatus("training", "reading the labelled rows", Generation: live.Generation);
            running = Task.Factory.StartNew(Run, lifetime.ApplicationStopping, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return true;
        }
    }

    void Set(RetrainStatus next)
    {
        lock (gate) status = next;
    }

    void Run()
    {
        var token = lifetime.ApplicationStopping;
        try
        {
            var outcome = Retrain(token);
            Set(outcome);
            LogDone(outcome.Message);
        }
        catch (OperationCanceledException)
        {
            Set(new RetrainStatus("failed", "stopped: the server is shutting down", Generation: live.Generation));
        }
        catch (Exception e) when (e is ArgumentException or DataFormatException or InvalidOperationException or TrainingDivergedException or IOException)
        {
            // What the user can act on (too few rows of a label, a bad row in the file): the message names it.
            Set(new RetrainStatus("failed", e.Message, Generation: live.Generation));
            LogFailed(e.Message);
        }
        catch (Exception e)
        {
            Set(new RetrainStatus("failed", "training failed; the server's log says why", Generation: live.Generation));
            LogCrashed(e);
        }
    }

    RetrainStatus Retrain(CancellationToken token)
    {
        var rows = data.Rows();
        var (trainRows, heldOutRows) = HeldOutSplit.Split(rows, settings.HeldOutEvery);
        if (heldOutRows.Count == 0)
            throw new InvalidOperationException($"{rows.Count} labelled rows: no label has {settings.HeldOutEvery} rows yet, so none can be held out to compare the new model with the served one; label more");

        using var classifier = TextClassifier.Load(options.ModelPath);
        var labels = new LabelSet(classifier.Labels);
        var train = TrainingExample.FromRows(trainRows, labels, classifier.ProblemType);
        var heldOut = TrainingExample.FromRows(heldOutRows, labels, classifier.ProblemType);
        int rarest = Enumerable.Range(0, labels.Count).Min(label => train.Count(e => Has(e, label)));
        string method = rarest >= settings.FineTuneFromPerLabel ? "fine-tune" : "few-shot";
        var progress = new StepProgress(p => Set(new RetrainStatus("training", $"{method}: step {p.Step} of {p.TotalSteps}", p.Step, p.TotalSteps, method,
            train.Count, heldOut.Count, Generation: live.Generation)));
        Set(new RetrainStatus("training", $"{method}: starting on {train.Count} rows", 0, 0, method, train.Count, heldOut.Count, Generation: live.Generation));
        if (method == "fine-tune") new Trainer(classifier, settings.FineTune).Train(train, null, progress, token);
        else new FewShotTrainer(classifier, settings.FewShot).Train(train, null, progress, token);

        Set(new RetrainStatus("training", $"scoring both models on {heldOut.Count} held-out rows", 0, 0, method, train.Count, heldOut.Count, Generation: live.Generation));
        var texts = heldOutRows.Select(r => r.Text).ToArray();
        double newAccuracy = Accuracy(classifier.PredictBatch(texts), heldOut, classifier.Labels, classifier.ProblemType);
        double servedAccuracy;
        using (var lease = live.Acquire())
            servedAccuracy = Accuracy(lease.Batcher.PredictAsync(texts, token).GetAwaiter().GetResult(), heldOut, classifier.Labels, classifier.ProblemType);
        token.ThrowIfCancellationRequested();

        string scores = $"{Percent(newAccuracy)} against {Percent(servedAccuracy)} on {heldOut.Count} held-out row{(heldOut.Count == 1 ? "" : "s")}";
        if (newAccuracy <= servedAccuracy)
            return new RetrainStatus("done", $"kept old model: the new one scored {scores}", 0, 0, method, train.Count, heldOut.Count, servedAccuracy, newAccuracy, false, live.Generation);

        string folder = NextFolder();
        AtomicDirectory.Write(folder, classifier.Save);
        var model = new ServedModel(folder, ServedModel.FolderName(options.ModelPath), Path.GetFileName(folder), options, logger);
        try
        {
            model.Classifier.PredictBatch(["warm-up"]); // the first forward pass allocates; not on a request
        }
        catch
        {
            model.Dispose();
            throw;
        }
        live.Swap(new ServedVersion(model, ServedBatcher.Create(model, options, services)));
        return new RetrainStatus("done", $"serving new model ({Path.GetFileName(Path.GetDirectoryName(folder))}/{Path.GetFileName(folder)}): it scored {scores}",
            0, 0, method, train.Count, heldOut.Count, servedAccuracy, newAccuracy, true, live.Generation);
    }

    // <data>.models/<n>: the next number after those there.
    string NextFolder()
    {
        string root = Path.Combine(Path.GetDirectoryName(data.Path)!, Path.GetFileNameWithoutExtension(data.Path) + ".models");
        int last = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(Path.GetFileName).Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0).DefaultIfEmpty(0).Max()
            : 0;
        return Path.Combine(root, (last + 1).ToString(CultureInfo.InvariantCulture));
    }

    static bool Has(TrainingExample example, int label) => example.LabelId == label || (example.Target.Length > label && example.Target[label] > 0.5f);

    // Single-label: the predicted label is the row's; multi-label: the chosen labels are exactly the row's.
    static double Accuracy(IReadOnlyList<Prediction> predictions, IReadOnlyList<TrainingExample> truth, IReadOnlyList<string> labels, ProblemType problemType)
    {
        int right = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            var p = predictions[i];
            bool correct = problemType == ProblemType.MultiLabel
                ? p.Labels().ToHashSet().SetEquals(Enumerable.Range(0, labels.Count).Where(l => Has(truth[i], l)).Select(l => labels[l]))
                : p.LabelId == truth[i].LabelId;
            if (correct) right++;
        }
        return truth.Count == 0 ? 0 : (double)right / truth.Count;
    }

    static string Percent(double accuracy) => (accuracy * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>Reports each step straight away (Progress&lt;T&gt; would post to the thread pool and could report out of order).</summary>
    sealed class StepProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "retrain: {Outcome}")]
    partial void LogDone(string outcome);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "retrain failed: {Reason}")]
    partial void LogFailed(string reason);

    [LoggerMessage(EventId = 62, Level = LogLevel.Error, Message = "retrain crashed")]
    partial void LogCrashed(Exception exception);
}
