using System;
using System.Collections.Generic;

namespace TypedBert.Pretrained;

/// <summary>What the compile-time checks know about base models: maximum positions and encoder layers.</summary>
/// <remarks>
/// The source generator reads it at build time; the runtime registers the same models in EmbeddedModels and in each family's
/// KnownCheckpoints, and ModelCatalogTests fails when the two disagree.
/// </remarks>
internal static class ModelCatalog
{
    /// <summary>The base model when none is named: the embedded MiniLM (EmbeddedModels.DefaultName).</summary>
    public const string DefaultModel = "minilm-l6-uncased";

    /// <summary>A catalogued model's shape.</summary>
    public readonly struct KnownModel(int maxPositions, int layers)
    {
        /// <summary>Positions the model reads at most.</summary>
        public int MaxPositions { get; } = maxPositions;
        /// <summary>Encoder layers.</summary>
        public int Layers { get; } = layers;
    }

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
