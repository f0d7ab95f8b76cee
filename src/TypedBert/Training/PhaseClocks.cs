using System.Diagnostics;

namespace TypedBert.Training;

/// <summary>One stopwatch per phase of a training step, read out as <see cref="StepTimings"/>.</summary>
internal sealed class PhaseClocks
{
    public Stopwatch Forward { get; } = new();
    public Stopwatch Backward { get; } = new();
    public Stopwatch Clipping { get; } = new();
    public Stopwatch Optimizer { get; } = new();
    public Stopwatch Checkpoints { get; } = new();

    public StepTimings ToTimings() => new(Forward.Elapsed, Backward.Elapsed, Clipping.Elapsed, Optimizer.Elapsed, Checkpoints.Elapsed);
}
