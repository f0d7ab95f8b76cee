using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace TypedBert.Serialization;

/// <summary>Writes tensors as a <c>.safetensors</c> file that Python's <c>safetensors</c> and <c>transformers</c> read.</summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (the previous file survives a crash).</summary>
    /// <param name="path">Target file.</param>
    /// <param name="tensors">Name and tensor pairs, on any device; names must be unique.</param>
    /// <param name="metadata">Optional <c>__metadata__</c>; <c>format: pt</c> is added so that transformers accepts the file.</param>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var duplicate = ordered.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"tensor name \"{duplicate.Key}\" appears twice", nameof(tensors));

        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { ["format"] = "pt" };
        header["__metadata__"] = meta;
        long offset = 0;
        foreach (var (name, tensor) in ordered)
        {
            long size = tensor.numel() * tensor.ElementSize;
            header[name] = new { dtype = SafeTensorsDType.FromScalarType(tensor.dtype), shape = tensor.shape, data_offsets = new[] { offset, offset + size } };
            offset += size;
        }
        byte[] headerBytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padding = (8 - headerBytes.Length % 8) % 8; // keeps the data 8-byte aligned, as the reference writer does
        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((long)(headerBytes.Length + padding)));
            stream.Write(headerBytes);
            for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in ordered)
            {
                using var cpu = tensor.detach().cpu().contiguous();
                stream.Write(cpu.bytes);
            }
        });
    }
}
