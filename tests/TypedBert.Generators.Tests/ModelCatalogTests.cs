using TypedBert.Modeling;
using TypedBert.Pretrained;

namespace TypedBert.Generators.Tests;

/// <summary>The model catalogue the generator reads (TypedBert.Abstractions) agrees with what the runtime registers.</summary>
public sealed class ModelCatalogTests
{
    static IEnumerable<(string Name, int MaxPositions, int Layers)> Runtime() =>
        EmbeddedModels.All.Select(m => (m.Name, m.Template.MaxPositionEmbeddings, m.Template.NumHiddenLayers))
            .Concat(ModelFamily.All.SelectMany(f => f.KnownCheckpoints).Select(c => (c.Name, c.MaxPositions, c.Layers)));

    [Fact]
    public void Every_registered_model_is_in_the_generator_catalogue_with_the_same_shape()
    {
        foreach (var (name, maxPositions, layers) in Runtime())
        {
            var known = ModelCatalog.Find(name);
            Assert.True(known.HasValue, $"{name} is registered at run time but missing from src/TypedBert.Abstractions/Pretrained/ModelCatalog.cs");
            Assert.Equal((maxPositions, layers), (known.Value.MaxPositions, known.Value.Layers));
        }
    }

    [Fact]
    public void The_generator_catalogue_knows_nothing_the_runtime_does_not_register()
    {
        var registered = Runtime().Select(m => m.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Equal([], ModelCatalog.Names.Where(n => !registered.Contains(n)).ToArray());
    }

    [Fact]
    public void The_catalogue_default_is_the_embedded_default()
    {
        Assert.Equal(EmbeddedModels.DefaultName, ModelCatalog.DefaultModel);
        Assert.Equal(EmbeddedModels.DefaultName, new BertLabelsAttribute().Model);
    }
}
