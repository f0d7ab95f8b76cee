using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace TypedBert.Serialization;

/// <summary>Where one tensor lies in a safetensors file.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">The format's dtype name (F32, BF16, ...).</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="Begin">Offset of the first byte, counted from the start of the data section.</param>
/// <param name="End">Offset one past the last byte.</param>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Reads a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header, then raw little-endian data.
/// The whole header is checked when the file is opened, so a truncated or hostile file fails before any tensor is allocated.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    const long MaxHeaderBytes = 100L << 20;
    readonly FileStream stream;
    readonly long dataStart;

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Every tensor of the file by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }

    /// <summary>The optional <c>__metadata__</c> string map.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    SafeTensorsFile(string path, FileStream stream, long dataStart, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        this.stream = stream;
        this.dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Opens and validates <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is truncated or its header is inconsistent; the message names the file and tensor.</exception>
    public static SafeTensorsFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        try
        {
            long fileLength = stream.Length;
            if (fileLength < 8) throw Bad(path, $"the file has {fileLength} bytes, fewer than the 8-byte header length");
            Span<byte> lengthBytes = stackalloc byte[8];
            stream.ReadExactly(lengthBytes);
            long headerLength = BitConverter.ToInt64(lengthBytes);
            if (headerLength <= 0 || headerLength > fileLength - 8)
                throw Bad(path, $"header length {headerLength} does not fit in a file of {fileLength} bytes (truncated?)");
            if (headerLength > MaxHeaderBytes) throw Bad(path, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            long dataLength = fileLength - 8 - headerLength;
            var (tensors, metadata) = ParseHeader(path, header, dataLength);
            return new SafeTensorsFile(path, stream, 8 + headerLength, tensors, metadata);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    static (Dictionary<string, SafeTensorInfo>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Bad(path, $"header is not valid JSON ({e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
            var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind == JsonValueKind.Object)
                        foreach (var entry in property.Value.EnumerateObject())
                            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                    continue;
                }
                tensors[property.Name] = ParseTensor(path, property.Name, property.Value, dataLength);
            }
            return (tensors, metadata);
        }
    }

    static SafeTensorInfo ParseTensor(string path, string name, JsonElement entry, long dataLength)
    {
        string Where() => $"tensor \"{name}\"";
        if (entry.ValueKind != JsonValueKind.Object) throw Bad(path, $"{Where()}: entry is not an object");
        if (!entry.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Bad(path, $"{Where()}: missing dtype");
        string dtype = dtypeElement.GetString()!;
        if (!SafeTensorsDType.IsKnown(dtype)) throw Bad(path, $"{Where()}: dtype \"{dtype}\" is not one of {SafeTensorsDType.Names}");
        if (!entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"{Where()}: missing shape");
        var shape = new long[shapeElement.GetArrayLength()];
        long elements = 1;
        int i = 0;
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long size) || size < 0)
                throw Bad(path, $"{Where()}: shape entry {dimension.GetRawText()} is not a non-negative integer");
            shape[i++] = size;
            elements = size == 0 ? 0 : elements > long.MaxValue / size ? throw Bad(path, $"{Where()}: shape overflows") : elements * size;
        }
        if (!entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
            throw Bad(path, $"{Where()}: data_offsets must be [begin, end]");
        if (begin < 0 || end < begin || end > dataLength)
            throw Bad(path, $"{Where()}: data_offsets [{begin}, {end}] lie outside the {dataLength}-byte data section (truncated?)");
        long expected = elements * SafeTensorsDType.SizeOf(dtype);
        if (end - begin != expected)
            throw Bad(path, $"{Where()}: {end - begin} bytes of data, but {dtype} [{string.Join(", ", shape)}] needs {expected}");
        return new SafeTensorInfo(name, dtype, shape, begin, end);
    }

    static InvalidDataException Bad(string path, string reason) => new($"{path}: {reason}");

    /// <summary>Reads one tensor into a new CPU tensor of the file's dtype.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public Tensor Load(string name)
    {
        if (!Tensors.TryGetValue(name, out var info)) throw new KeyNotFoundException($"{Path}: no tensor named \"{name}\"");
        var bytes = new byte[info.End - info.Begin];
        RandomAccess.Read(stream.SafeFileHandle, bytes, dataStart + info.Begin);
        var tensor = empty(info.Shape, SafeTensorsDType.ToScalarType(info.DType));
        if (bytes.Length > 0) tensor.bytes = bytes;
        return tensor;
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
