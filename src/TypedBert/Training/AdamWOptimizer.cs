using TorchSharp;
using TorchSharp.Modules;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Training;

/// <summary>
/// AdamW with decoupled weight decay, step for step the arithmetic of PyTorch's single-tensor <c>torch.optim.AdamW</c>,
/// kept here rather than TorchSharp's so that its moments can be written to and read from a checkpoint by parameter name.
/// </summary>
internal sealed class AdamWOptimizer : IDisposable
{
    sealed class Slot(string name, Parameter parameter, double weightDecay, double learningRateScale)
    {
        public string Name { get; } = name;
        public Parameter Parameter { get; } = parameter;
        public double WeightDecay { get; } = weightDecay;
        public double LearningRateScale { get; } = learningRateScale;
        public Tensor? ExpAvg { get; set; }
        public Tensor? ExpAvgSq { get; set; }
        public long Steps { get; set; }
    }

    readonly List<Slot> slots;
    readonly double beta1, beta2, epsilon;

    /// <summary>Optimizes <paramref name="parameters"/>, each with its own weight decay and share of the learning rate.</summary>
    public AdamWOptimizer(IEnumerable<(string Name, Parameter Parameter, double WeightDecay, double LearningRateScale)> parameters, double beta1, double beta2, double epsilon)
    {
        slots = [.. parameters.Select(p => new Slot(p.Name, p.Parameter, p.WeightDecay, p.LearningRateScale))];
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /// <summary>The optimized parameters.</summary>
    public IEnumerable<Parameter> Parameters => slots.Select(s => s.Parameter);

    /// <summary>
    /// One update at <paramref name="baseLearningRate"/> times each parameter's scale (a parameter group's <c>lr</c> in PyTorch);
    /// parameters without a gradient are left alone, as in PyTorch.
    /// </summary>
    public void Step(double baseLearningRate)
    {
        using var noGrad = no_grad();
        // Scalars are held in using locals rather than converted implicitly: TorchSharp's Scalar has a finalizer, and an
        // implicit temporary can be collected (freeing its native value) while the native call still reads it, which
        // surfaced as rare libtorch "Unknown scalar type" errors under load. The ones that do not depend on the slot are made once.
        using Tensor oneMinusBeta1 = 1 - beta1;  // lerp_ takes its weight as a tensor
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var epsilonScalar = epsilon.ToScalar();
        foreach (var slot in slots)
        {
            using var scope = NewDisposeScope(); // the grad getter hands out a fresh handle each call
            var grad = slot.Parameter.grad;
            if (grad is null) continue;
            double learningRate = baseLearningRate * slot.LearningRateScale;
            if (slot.ExpAvg is null)
            {
                slot.ExpAvg = zeros_like(slot.Parameter).MoveToOuterDisposeScope();
                slot.ExpAvgSq = zeros_like(slot.Parameter).MoveToOuterDisposeScope();
            }
            slot.Steps++;
            // Multiplying by exactly 1 changes nothing, and on the 11.7 M-weight word embeddings a pass costs milliseconds.
            if (slot.WeightDecay != 0)
            {
                using var decay = (1 - learningRate * slot.WeightDecay).ToScalar();
                slot.Parameter.mul_(decay);
            }
            double biasCorrection1 = 1 - Math.Pow(beta1, slot.Steps);
            double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, slot.Steps));
            using var correction2 = biasCorrection2Sqrt.ToScalar();
            using var step = (-learningRate / biasCorrection1).ToScalar();
            slot.ExpAvg.lerp_(grad, oneMinusBeta1);
            slot.ExpAvgSq!.mul_(beta2Scalar).addcmul_(grad, grad, oneMinusBeta2);
            // torch writes sqrt() / c, a second temporary; dividing in place gives the same values with one allocation.
            var denominator = slot.ExpAvgSq.sqrt().div_(correction2).add_(epsilonScalar);
            slot.Parameter.addcdiv_(slot.ExpAvg, denominator, step);
        }
    }

    /// <summary>Writes the moments (<c>NAME.exp_avg</c>, <c>NAME.exp_avg_sq</c>) and step counts to a safetensors file.</summary>
    public void Save(string path)
    {
        var started = slots.Where(s => s.ExpAvg is not null).ToList();
        var tensors = started.SelectMany(s => new[] { (s.Name + ".exp_avg", s.ExpAvg!), (s.Name + ".exp_avg_sq", s.ExpAvgSq!) });
        var metadata = started.ToDictionary(s => s.Name + ".step", s => s.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        SafeTensorsWriter.Write(path, tensors, metadata);
    }

    /// <summary>Reads what <see cref="Save"/> wrote; the parameter set must be the same as when it was written.</summary>
    /// <exception cref="InvalidDataException">The file belongs to other parameters; the message names the tensor.</exception>
    public void Load(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        var known = slots.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in file.Tensors.Keys)
        {
            string parameter = name.EndsWith(".exp_avg_sq", StringComparison.Ordinal) ? name[..^".exp_avg_sq".Length]
                : name.EndsWith(".exp_avg", StringComparison.Ordinal) ? name[..^".exp_avg".Length] : name;
            if (!known.Contains(parameter))
                throw new InvalidDataException($"{path}: tensor \"{name}\" belongs to no parameter being trained; the checkpoint was written with other frozen layers or another model");
        }
        foreach (var slot in slots)
        {
            DisposeMoments(slot);
            slot.Steps = 0;
            if (!file.Metadata.TryGetValue(slot.Name + ".step", out var steps)) continue;
            slot.Steps = long.Parse(steps, System.Globalization.CultureInfo.InvariantCulture);
            slot.ExpAvg = LoadMoment(file, path, slot, ".exp_avg");
            slot.ExpAvgSq = LoadMoment(file, path, slot, ".exp_avg_sq");
        }
    }

    static Tensor LoadMoment(SafeTensorsFile file, string path, Slot slot, string suffix)
    {
        string name = slot.Name + suffix;
        if (!file.Tensors.ContainsKey(name)) throw new InvalidDataException($"{path}: tensor \"{name}\" is missing");
        var loaded = file.Load(name);
        if (!loaded.shape.SequenceEqual(slot.Parameter.shape) || loaded.dtype != slot.Parameter.dtype)
        {
            string found = $"{loaded.dtype} [{string.Join(", ", loaded.shape)}]";
            loaded.Dispose();
            throw new InvalidDataException($"{path}: tensor \"{name}\" is {found}; the parameter is {slot.Parameter.dtype} [{string.Join(", ", slot.Parameter.shape)}]");
        }
        if (loaded.device_type == slot.Parameter.device_type) return loaded;
        var moved = loaded.to(slot.Parameter.device);
        loaded.Dispose();
        return moved;
    }

    static void DisposeMoments(Slot slot)
    {
        slot.ExpAvg?.Dispose();
        slot.ExpAvgSq?.Dispose();
        slot.ExpAvg = slot.ExpAvgSq = null;
    }

    /// <summary>Frees the moments.</summary>
    public void Dispose()
    {
        foreach (var slot in slots) DisposeMoments(slot);
    }
}
