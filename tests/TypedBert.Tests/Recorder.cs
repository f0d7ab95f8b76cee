using TypedBert.Training;

namespace TypedBert.Tests;

/// <summary>Hands each training report to a callback on the training thread (Progress&lt;T&gt; would post it to the thread pool).</summary>
internal sealed class Recorder(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}
