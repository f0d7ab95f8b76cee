using TorchSharp;

namespace TypedBert.Serialization;

/// <summary>The dtype names of the safetensors format and their TorchSharp equivalents.</summary>
public static class SafeTensorsDType
{
    static readonly (string Name, torch.ScalarType Type, int Size)[] Known =
    [
        ("F64", torch.ScalarType.Float64, 8), ("F32", torch.ScalarType.Float32, 4), ("F16", torch.ScalarType.Float16, 2),
        ("BF16", torch.ScalarType.BFloat16, 2), ("I64", torch.ScalarType.Int64, 8), ("I32", torch.ScalarType.Int32, 4),
        ("I16", torch.ScalarType.Int16, 2), ("I8", torch.ScalarType.Int8, 1), ("U8", torch.ScalarType.Byte, 1),
        ("BOOL", torch.ScalarType.Bool, 1),
    ];

    /// <summary>Whether the format name is one TypedBert reads.</summary>
    public static bool IsKnown(string name) => Known.Any(k => k.Name == name);

    /// <summary>Bytes per element of the format name.</summary>
    public static int SizeOf(string name) => Known.First(k => k.Name == name).Size;

    /// <summary>The TorchSharp type of the format name.</summary>
    public static torch.ScalarType ToScalarType(string name) => Known.First(k => k.Name == name).Type;

    /// <summary>The format name of a TorchSharp type.</summary>
    public static string FromScalarType(torch.ScalarType type) =>
        Known.FirstOrDefault(k => k.Type == type).Name ?? throw new NotSupportedException($"safetensors has no dtype for {type}");

    /// <summary>The accepted names, for error messages.</summary>
    public static string Names => string.Join(", ", Known.Select(k => k.Name));
}
