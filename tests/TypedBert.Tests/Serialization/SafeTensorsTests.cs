using System.Text;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Serialization;

public class SafeTensorsTests
{
    [Fact]
    public void Round_trip_keeps_names_dtypes_shapes_and_values()
    {
        using var folder = new TemporaryFolder();
        using var a = arange(12, ScalarType.Float32).reshape(3, 4);
        using var b = tensor(new long[] { 7, -8 });
        using var c = ones(2, 2, ScalarType.BFloat16);
        string path = folder.File("model.safetensors");
        SafeTensorsWriter.Write(path, [("layer.a", a), ("b", b), ("c", c)]);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(["b", "c", "layer.a"], file.Tensors.Keys.Order());
        Assert.Equal("pt", file.Metadata["format"]);
        using var readA = file.Load("layer.a");
        using var readB = file.Load("b");
        using var readC = file.Load("c");
        Assert.Equal(new long[] { 3, 4 }, readA.shape);
        Assert.True(readA.equal(a).all().item<bool>());
        Assert.Equal(ScalarType.Int64, readB.dtype);
        Assert.Equal(new long[] { 7, -8 }, readB.data<long>().ToArray());
        Assert.Equal(ScalarType.BFloat16, readC.dtype);
        Assert.Equal(0, (8 + BitConverter.ToInt64(File.ReadAllBytes(path), 0)) % 8);
    }

    [Fact]
    public void Truncated_file_names_the_file_and_the_tensor()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("t.safetensors");
        using var a = zeros(100);
        SafeTensorsWriter.Write(path, [("weights", a)]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^16]);

        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("\"weights\"", error.Message);
    }

    [Theory]
    [InlineData(4, "fewer than the 8-byte header length")]
    [InlineData(-1, "does not fit")]
    public void Broken_header_length_is_rejected(int variant, string expected)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("h.safetensors");
        File.WriteAllBytes(path, variant < 0 ? [.. BitConverter.GetBytes(1L << 40), .. "{}"u8.ToArray()] : new byte[variant]);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,64]}}""", "outside")]
    [InlineData("""{"x":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", "dtype \"Q4\"")]
    [InlineData("""{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "needs 12")]
    [InlineData("""{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "non-negative")]
    [InlineData("""not json""", "not valid JSON")]
    public void Inconsistent_header_entries_are_rejected(string header, string expected)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("bad.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, .. new byte[8]]);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_failed_write_leaves_the_previous_file_intact()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("keep.txt");
        AtomicFile.WriteAllText(path, "good");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new IOException("simulated crash mid-write");
        }));
        Assert.Equal("good", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }
}
