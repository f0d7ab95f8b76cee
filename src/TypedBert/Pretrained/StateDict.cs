using TorchSharp;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Pretrained;

/// <summary>Copies checkpoint tensors into a module's parameters by Hugging Face name, with every mismatch reported.</summary>
public static class StateDict
{
    /// <summary>Checkpoint entries that Hugging Face models keep as buffers and TypedBert computes instead.</summary>
    static readonly string[] ComputedBuffers = ["embeddings.position_ids", "embeddings.token_type_ids"];

    /// <summary>
    /// Loads every parameter of <paramref name="module"/> from the tensor named <paramref name="prefix"/> + parameter name.
    /// Tensors outside the prefix belong to other parts of the checkpoint (heads) and are left alone.
    /// </summary>
    /// <exception cref="InvalidDataException">A parameter has no tensor, a shape differs, or a tensor under the prefix matches no parameter.
    /// The message names the file and every offending tensor.</exception>
    /// <param name="module">The module to fill.</param>
    /// <param name="file">The checkpoint.</param>
    /// <param name="prefix">Prefix of the module's tensors in the checkpoint (<c>bert.</c> in a classifier checkpoint).</param>
    /// <param name="mayBeMissing">Parameters that keep their initialisation when the checkpoint lacks them (a new head).</param>
    /// <param name="mayBeUnused">Checkpoint tensors (names after the prefix) that the module may leave unused (a pooler a head does not use).</param>
    public static void Load(nn.Module module, SafeTensorsFile file, string prefix = "", Func<string, bool>? mayBeMissing = null, Func<string, bool>? mayBeUnused = null)
    {
        var byName = file.Tensors.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(k => NormalizeLegacyName(k[prefix.Length..]), k => k, StringComparer.Ordinal);
        var problems = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var (name, parameter) in module.named_parameters())
            {
                if (!byName.TryGetValue(name, out var stored))
                {
                    if (mayBeMissing?.Invoke(name) == true) continue;
                    problems.Add($"missing tensor \"{prefix}{name}\" (expected [{string.Join(", ", parameter.shape)}])");
                    continue;
                }
                used.Add(name);
                var info = file.Tensors[stored];
                if (!info.Shape.SequenceEqual(parameter.shape))
                {
                    problems.Add($"tensor \"{stored}\" has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", parameter.shape)}]");
                    continue;
                }
                using var loaded = file.Load(stored);
                if (!loaded.is_floating_point())
                {
                    problems.Add($"tensor \"{stored}\" has dtype {info.DType}, expected a floating-point type");
                    continue;
                }
                parameter.copy_(loaded);
            }
        }
        foreach (var name in byName.Keys.Where(n => !used.Contains(n) && !ComputedBuffers.Contains(n) && mayBeUnused?.Invoke(n) != true).Order(StringComparer.Ordinal))
            problems.Add($"unexpected tensor \"{prefix}{name}\" matches no parameter of {module.GetName()}");
        if (problems.Count > 0)
            throw new InvalidDataException($"{file.Path}: the checkpoint does not fit the model:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
    }

    /// <summary>
    /// Where the encoder's tensors sit in a checkpoint: under <c>bert.</c> in the task models transformers saves
    /// (<c>BertForSequenceClassification</c>, <c>BertForPreTraining</c>), at the top in a bare <c>BertModel</c>.
    /// </summary>
    /// <param name="file">The checkpoint.</param>
    /// <param name="familyPrefix">The architecture's prefix: <c>bert.</c>, <c>roberta.</c>, <c>distilbert.</c>, <c>albert.</c>, <c>longformer.</c>.</param>
    public static string EncoderPrefix(SafeTensorsFile file, string familyPrefix = "bert.") =>
        file.Tensors.Keys.Any(k => k.StartsWith(familyPrefix, StringComparison.Ordinal)) ? familyPrefix : "";

    /// <summary>Old TensorFlow-converted checkpoints name LayerNorm parameters gamma and beta.</summary>
    static string NormalizeLegacyName(string name) =>
        name.EndsWith(".gamma", StringComparison.Ordinal) ? name[..^6] + ".weight"
        : name.EndsWith(".beta", StringComparison.Ordinal) ? name[..^5] + ".bias"
        : name;

    /// <summary>The parameters of <paramref name="module"/> as (prefixed name, tensor) pairs, ready for <see cref="SafeTensorsWriter"/>.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> Named(nn.Module module, string prefix = "") =>
        module.named_parameters().Select(p => (prefix + p.name, (Tensor)p.parameter));
}
