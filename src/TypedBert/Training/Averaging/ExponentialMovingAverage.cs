using static TorchSharp.torch;

namespace TypedBert.Training.Averaging;

/// <summary>
/// An exponential moving average of the weights, updated after every optimizer step: average = decay * average + (1 - decay) * weights.
/// With <paramref name="warmup"/>, the decay of the n-th update (from 0) is min(decay, (1 + n) / (10 + n)), the schedule of TensorFlow's
/// <c>ExponentialMovingAverage(num_updates)</c>: at 0.999 a run of a few hundred steps would otherwise end with an average that is still
/// mostly the starting weights (0.999^200 = 0.82 of them).
/// </summary>
internal sealed class ExponentialMovingAverage(nn.Module module, double decay, bool warmup) : WeightAverage(module)
{
    protected override string Kind => "ema";

    /// <summary>The decay the next update uses.</summary>
    public double NextDecay => warmup ? Math.Min(decay, (1.0 + Updates) / (10.0 + Updates)) : decay;

    /// <summary>Blends the module's current weights in.</summary>
    public void Update() => Blend(1 - NextDecay);
}
