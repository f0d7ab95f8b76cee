using System;
using System.Collections.Generic;

namespace TypedBert.Generators;

/// <summary>What the compile-time checks know about base models: maximum positions and encoder layers.</summary>
/// <remarks>
/// The generator targets netstandard2.0 and cannot reference TypedBert, so this copies what the runtime registers: the embedded
/// models (src/TypedBert/Pretrained/EmbeddedModels.cs) and each family's known checkpoints (ModelFamily.KnownCheckpoints, declared
/// in the family's registration). ModelCatalogTests fails when the two disagree.
/// </remarks>
internal static class ModelCatalog
{
    public readonly record struct KnownModel(int MaxPositions, int Layers);

    static readonly Dictionary<string, KnownModel> Models = new(StringComparer.OrdinalIgnoreCase)
    {
        ["minilm-l6-uncased"] = new(512, 6),
        ["arctic-xs-uncased"] = new(512, 6),
        ["bert-base-uncased"] = new(512, 12),
        ["bert-base-cased"] = new(512, 12),
        ["bert-base-multilingual-cased"] = new(512, 12),
        ["bert-large-uncased"] = new(512, 24),
        ["bert-large-cased"] = new(512, 24),
        ["distilbert-base-uncased"] = new(512, 6),
        ["roberta-base"] = new(512, 12),
        ["albert-base-v2"] = new(512, 12),
        ["allenai/longformer-base-4096"] = new(4096, 12),
    };

    /// <summary>Every model name the catalogue knows.</summary>
    public static IEnumerable<string> Names => Models.Keys;

    /// <summary>The model named <paramref name="name"/>, or null for a folder or a name the catalogue does not know.</summary>
    public static KnownModel? Find(string name) => Models.TryGetValue(name, out var model) ? model : null;
}
