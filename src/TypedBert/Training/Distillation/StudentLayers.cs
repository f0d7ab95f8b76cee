using System.Text.RegularExpressions;
using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Training.Distillation;

/// <summary>
/// A smaller student made from a classifier's own layers: the embeddings, pooler and head as they are, and <c>n</c> of its encoder layers,
/// evenly spaced and always including the top one (6 → 3 keeps layers 1, 3 and 5), as DistilBERT's students start from their teacher.
/// </summary>
public static class StudentLayers
{
    /// <summary>The source layers a student of <paramref name="studentLayers"/> keeps from <paramref name="sourceLayers"/>, in order.</summary>
    /// <exception cref="ArgumentException">More student layers than the source has, or fewer than one.</exception>
    public static int[] EvenlySpaced(int sourceLayers, int studentLayers)
    {
        if (studentLayers < 1) throw new ArgumentException($"a student needs at least one layer, not {studentLayers}");
        if (studentLayers > sourceLayers)
            throw new ArgumentException($"a student of {studentLayers} layers cannot come from a model of {sourceLayers}; ask for {sourceLayers} or fewer");
        // Layer i of the student is the last of its share of the source's layers: (i + 1) * L / n - 1.
        return [.. Enumerable.Range(0, studentLayers).Select(i => (int)Math.Round((i + 1) * (double)sourceLayers / studentLayers) - 1)];
    }

    /// <summary>
    /// A new classifier with <paramref name="layers"/> of <paramref name="source"/>'s encoder layers (<see cref="EvenlySpaced"/>) and every
    /// other weight copied; its config.json says the new layer count, so it saves, loads and exports like any classifier.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="layers"/> is out of range, or the architecture shares one layer's weights (ALBERT).</exception>
    public static TextClassifier Create(TextClassifier source, int layers)
    {
        var config = source.Config;
        int sourceLayers = config.Encoder.NumHiddenLayers;
        var chosen = EvenlySpaced(sourceLayers, layers);
        var model = source.Model;
        if (config.Encoder.ModelType == "albert") throw new ArgumentException("ALBERT shares one set of layer weights; a student with fewer layers is not made by choosing layers");
        string layerPrefix = model.Family.EncoderPrefix + model.Family.LayerPath + ".";
        var layerName = new Regex("^" + Regex.Escape(layerPrefix) + @"(\d+)\.(.*)$");
        string folder = Directory.CreateTempSubdirectory("typedbert-student-").FullName;
        try
        {
            var studentConfig = source.SavedConfig() with { Encoder = config.Encoder with { NumHiddenLayers = layers } };
            AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), studentConfig.ToJson());
            var renamed = new List<(string, Tensor)>();
            foreach (var (name, tensor) in StateDict.Named(model))
            {
                var match = layerName.Match(name);
                if (!match.Success) renamed.Add((name, tensor));
                else if (Array.IndexOf(chosen, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) is var at and >= 0)
                    renamed.Add(($"{layerPrefix}{at}.{match.Groups[2].Value}", tensor));
            }
            SafeTensorsWriter.Write(Path.Combine(folder, "model.safetensors"), renamed,
                new Dictionary<string, string> { ["written_by"] = "TypedBert", ["student_of_layers"] = string.Join(",", chosen) });
            source.Tokenizer.Save(folder);
            return TextClassifier.Load(folder, source.Settings with { MaxLength = source.MaxLength, LongText = source.LongText }, source.Device);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
