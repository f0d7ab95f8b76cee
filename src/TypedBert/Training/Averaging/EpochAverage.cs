using static TorchSharp.torch;

namespace TypedBert.Training.Averaging;

/// <summary>
/// The plain mean of the weights at chosen moments (the ends of the last epochs), as stochastic weight averaging (Izmailov et al. 2018)
/// takes it: after n additions the average is the mean of those n sets of weights, whatever it held before the first.
/// </summary>
internal sealed class EpochAverage(nn.Module module) : WeightAverage(module)
{
    protected override string Kind => "epochs";

    /// <summary>Adds the module's current weights to the mean.</summary>
    public void Add() => Blend(1.0 / (Updates + 1));
}
