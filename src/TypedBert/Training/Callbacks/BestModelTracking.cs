using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Training.Callbacks;

/// <summary>
/// Tracks the best epoch by <see cref="TrainingOptions.MetricForBestModel"/> and, with <see cref="TrainingOptions.LoadBestModelAtEnd"/>,
/// keeps a copy of its weights and puts them back at the end. Without evaluation data every epoch counts as the best so far. Its
/// judgement of each evaluation is <see cref="TrainerControl.IsNewBest"/>, which early stopping and the epoch's checkpoint read.
/// </summary>
internal sealed class BestModelTracking : ITrainingCallback
{
    Dictionary<string, Tensor>? best;

    public void OnTrainBegin(TrainingContext context)
    {
        // A resumed run takes the best weights back from the checkpoint that recorded them (a sibling of the one resumed from).
        if (context.Options.ResumeFromCheckpoint is not string checkpoint || !context.Options.LoadBestModelAtEnd || context.Run.BestCheckpoint is null) return;
        string folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, context.Run.BestCheckpoint);
        using var file = SafeTensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        best = context.Classifier.Model.named_parameters().ToDictionary(p => p.name, p => file.Load(p.name).to(p.parameter.device, disposeAfter: true));
    }

    public void OnEvaluate(TrainingContext context, TrainerControl control, EvaluationResult? evaluation)
    {
        var run = context.Run;
        if (evaluation is null)
        {
            run.BestEpoch = run.Epoch;
            return;
        }
        double score = evaluation.Score(context.Options.MetricForBestModel);
        if (run.BestScore is not null && !(score > run.BestScore)) return;
        run.BestScore = score;
        run.BestEpoch = run.Epoch;
        run.EpochsSinceImprovement = 0;
        control.IsNewBest = true;
        if (context.Options.LoadBestModelAtEnd) Snapshot(context);
    }

    public void OnTrainEnd(TrainingContext context)
    {
        var run = context.Run;
        if (best is not null && run.BestEpoch != run.Summaries.Count) Restore(context);
        // Without a restore the model ends on the last epoch, so that is the epoch the result must name.
        else if (context.Eval is not null && !context.Options.LoadBestModelAtEnd) run.BestEpoch = run.Summaries.Count;
    }

    public void OnCleanup(TrainingContext context) => Release();

    void Snapshot(TrainingContext context)
    {
        Release();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        best = context.Classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().MoveToOuterDisposeScope());
    }

    void Restore(TrainingContext context)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in context.Classifier.Model.named_parameters()) parameter.copy_(best![name]);
    }

    void Release()
    {
        if (best is not null) foreach (var t in best.Values) t.Dispose();
        best = null;
    }
}
