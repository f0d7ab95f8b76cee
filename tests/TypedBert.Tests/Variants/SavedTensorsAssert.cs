using TypedBert.Serialization;

namespace TypedBert.Tests.Variants;

/// <summary>Two safetensors files hold the same tensors: the same names, dtypes, shapes and bytes (what a re-save must keep).</summary>
internal static class SavedTensorsAssert
{
    /// <param name="expectedFile">The file written first (a committed fixture).</param>
    /// <param name="actualFile">The file TypedBert wrote from it.</param>
    /// <param name="expectedBy">Who wrote <paramref name="expectedFile"/>, for the messages ("transformers", "the committed fixture").</param>
    public static void Same(string expectedFile, string actualFile, string expectedBy)
    {
        using var expected = SafeTensorsFile.Open(expectedFile);
        using var actual = SafeTensorsFile.Open(actualFile);
        Assert.Equal(expected.Tensors.Keys.Order(StringComparer.Ordinal), actual.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, info) in expected.Tensors)
        {
            var saved = actual.Tensors[name];
            Assert.True(info.DType == saved.DType && info.Shape.SequenceEqual(saved.Shape),
                $"{name}: {expectedBy} saved {info.DType} [{string.Join(", ", info.Shape)}], TypedBert {saved.DType} [{string.Join(", ", saved.Shape)}]");
            using var a = expected.Load(name);
            using var b = actual.Load(name);
            Assert.True(a.bytes.SequenceEqual(b.bytes), $"{name}: TypedBert saved other values than {expectedBy} did");
        }
    }
}
