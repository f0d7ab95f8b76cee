using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Training.Averaging;

/// <summary>
/// An average of a module's weights kept beside it, in fp32 on the weights' device, that can be put into the module for evaluation and
/// saving (<see cref="SwapIn"/>) and taken out again before training continues (<see cref="SwapOut"/>). Subclasses decide how each new
/// set of weights is blended in: <see cref="ExponentialMovingAverage"/> after every optimizer step, <see cref="EpochAverage"/> at epoch ends.
/// </summary>
internal abstract class WeightAverage : IDisposable
{
    const string AveragePrefix = "average.";
    const string HeldPrefix = "held.";

    readonly List<(string Name, Parameter Parameter, Tensor Average)> slots;
    Dictionary<string, Tensor>? held;

    protected WeightAverage(nn.Module module)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // detach() hands out a handle of its own for each parameter
        slots = [.. module.named_parameters().Select(p => (p.name, p.parameter, p.parameter.detach().to(ScalarType.Float32, copy: true).MoveToOuterDisposeScope()))];
    }

    /// <summary>What the file records as the kind of average, so that an EMA file is never read as an epoch average.</summary>
    protected abstract string Kind { get; }

    /// <summary>How many sets of weights have been blended in.</summary>
    public int Updates { get; private set; }

    /// <summary>Whether the module holds the average now (and the training weights are kept aside).</summary>
    public bool SwappedIn => held is not null;

    /// <summary>The averaged value of parameter <paramref name="name"/> (for tests and inspection).</summary>
    public Tensor Average(string name) => slots.First(s => s.Name == name).Average;

    /// <summary>Moves the average towards the module's current weights: average = (1 - share) * average + share * weights.</summary>
    protected void Blend(double shareOfCurrent)
    {
        if (SwappedIn) throw new InvalidOperationException("the module holds the average; swap it out before blending in new weights");
        using var noGrad = no_grad();
        // Held, not converted implicitly: an implicit temporary (lerp_ takes the weight as a tensor) can be finalized while the
        // native call reads it.
        using Tensor share = shareOfCurrent;
        foreach (var (_, parameter, average) in slots)
        {
            using var scope = NewDisposeScope();
            average.lerp_(parameter.detach().to(ScalarType.Float32), share);
        }
        Updates++;
    }

    /// <summary>Puts the average into the module, keeping the training weights aside for <see cref="SwapOut"/>.</summary>
    public void SwapIn()
    {
        if (SwappedIn) return;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        held = slots.ToDictionary(s => s.Name, s => s.Parameter.detach().clone().MoveToOuterDisposeScope());
        foreach (var (_, parameter, average) in slots) parameter.copy_(average);
    }

    /// <summary>Puts the training weights back into the module.</summary>
    public void SwapOut()
    {
        if (held is null) return;
        using var noGrad = no_grad();
        foreach (var (name, parameter, _) in slots) parameter.copy_(held[name]);
        ReleaseHeld();
    }

    /// <summary>Writes the average, the update count and, while swapped in, the training weights kept aside.</summary>
    public void Save(string path)
    {
        var tensors = slots.Select(s => (AveragePrefix + s.Name, s.Average));
        if (held is not null) tensors = tensors.Concat(held.Select(h => (HeldPrefix + h.Key, h.Value)));
        SafeTensorsWriter.Write(path, tensors, new Dictionary<string, string>
        {
            ["kind"] = Kind,
            ["updates"] = Updates.ToString(CultureInfo.InvariantCulture),
            ["swapped_in"] = SwappedIn ? "true" : "false",
        });
    }

    /// <summary>
    /// Reads what <see cref="Save"/> wrote. When it was written swapped in, the module is given the average and the saved training weights
    /// are kept aside, as they were; otherwise the module's weights are left as they are.
    /// </summary>
    /// <exception cref="InvalidDataException">The file holds another kind of average or other parameters; the message says which.</exception>
    public void Load(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        string kind = file.Metadata.GetValueOrDefault("kind") ?? "none";
        if (kind != Kind) throw new InvalidDataException($"{path} holds a {kind} weight average; this run keeps a {Kind} average");
        bool swapped = file.Metadata.GetValueOrDefault("swapped_in") == "true";
        ReleaseHeld();
        using var noGrad = no_grad();
        foreach (var (name, parameter, average) in slots)
        {
            using (var saved = Read(file, path, AveragePrefix + name, average)) average.copy_(saved);
            if (swapped) parameter.copy_(average);
        }
        if (swapped)
            held = slots.ToDictionary(s => s.Name, s => Read(file, path, HeldPrefix + s.Name, s.Parameter).to(s.Parameter.dtype, disposeAfter: true));
        Updates = int.Parse(file.Metadata.GetValueOrDefault("updates") ?? "0", CultureInfo.InvariantCulture);
    }

    static Tensor Read(SafeTensorsFile file, string path, string name, Tensor like)
    {
        if (!file.Tensors.ContainsKey(name)) throw new InvalidDataException($"{path}: tensor \"{name}\" is missing; the average was written for another model");
        var tensor = file.Load(name);
        if (!tensor.shape.SequenceEqual(like.shape))
        {
            string shape = string.Join(", ", tensor.shape);
            tensor.Dispose();
            throw new InvalidDataException($"{path}: tensor \"{name}\" is [{shape}]; this model's is [{string.Join(", ", like.shape)}]");
        }
        return tensor.to(like.device, disposeAfter: true);
    }

    void ReleaseHeld()
    {
        if (held is not null) foreach (var t in held.Values) t.Dispose();
        held = null;
    }

    /// <summary>Frees the average and any weights kept aside; the module keeps whatever it holds now.</summary>
    public void Dispose()
    {
        ReleaseHeld();
        foreach (var (_, _, average) in slots) average.Dispose();
        slots.Clear();
    }
}
