using Google.Protobuf;
using Onnx;
using TorchSharp;
using TypedBert.Modeling;
using static TorchSharp.torch;

namespace TypedBert.Pretrained;

/// <summary>
/// Recovers a Hugging Face BERT state dict from an ONNX export of <c>BertModel</c>.
/// Exporters keep embedding, LayerNorm and bias names but store each encoder dense weight as an anonymous MatMul operand of shape
/// [in, out]; the name comes back through the graph: that MatMul feeds an Add whose other operand is the matching <c>*.bias</c>.
/// </summary>
public static class OnnxBertImporter
{
    /// <summary>The tensors of the export under Hugging Face names, dense weights transposed back to [out, in].</summary>
    /// <param name="onnx">The serialized ONNX model.</param>
    /// <param name="source">Names the file in error messages.</param>
    public static Dictionary<string, Tensor> ReadStateDict(byte[] onnx, string source)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(onnx); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"{source}: not a valid ONNX model ({e.Message})", e); }
        var graph = model.Graph ?? throw new InvalidDataException($"{source}: the ONNX model has no graph");
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var consumers = graph.Node
            .SelectMany(node => node.Input.Select(input => (input, node)))
            .ToLookup(x => x.input, x => x.node, StringComparer.Ordinal);

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var initializer in graph.Initializer.Where(i => IsHuggingFaceName(i.Name)))
                result[initializer.Name] = ToTensor(initializer, source);

            foreach (var matMul in graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2 && initializers.ContainsKey(n.Input[1])))
            {
                var weight = initializers[matMul.Input[1]];
                if (IsHuggingFaceName(weight.Name)) continue;
                string biasName = consumers[matMul.Output[0]]
                    .Where(n => n.OpType == "Add")
                    .SelectMany(n => n.Input)
                    .FirstOrDefault(input => input.EndsWith(".bias", StringComparison.Ordinal) && initializers.ContainsKey(input))
                    ?? throw new InvalidDataException($"{source}: MatMul weight \"{weight.Name}\" feeds no Add with a named *.bias; cannot tell which layer it belongs to");
                string name = biasName[..^".bias".Length] + ".weight";
                if (result.ContainsKey(name)) throw new InvalidDataException($"{source}: two MatMul weights resolve to \"{name}\"");
                using var stored = ToTensor(weight, source);
                result[name] = stored.t().contiguous();
            }
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw;
        }
    }

    static bool IsHuggingFaceName(string name) =>
        name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal) || name.StartsWith("pooler.", StringComparison.Ordinal);

    static Tensor ToTensor(TensorProto proto, string source)
    {
        var shape = proto.Dims.ToArray();
        var type = (TensorProto.Types.DataType)proto.DataType switch
        {
            TensorProto.Types.DataType.Float => ScalarType.Float32,
            TensorProto.Types.DataType.Int64 => ScalarType.Int64,
            var other => throw new InvalidDataException($"{source}: initializer \"{proto.Name}\" has data type {other}; only float and int64 are read"),
        };
        var result = empty(shape, type);
        if (proto.RawData.Length > 0)
        {
            long expected = result.numel() * result.ElementSize;
            if (proto.RawData.Length != expected)
                throw new InvalidDataException($"{source}: initializer \"{proto.Name}\" has {proto.RawData.Length} bytes, [{string.Join(", ", shape)}] needs {expected}");
            result.bytes = proto.RawData.ToByteArray();
        }
        else if (type == ScalarType.Float32 && proto.FloatData.Count == result.numel())
        {
            using var values = tensor(proto.FloatData.ToArray(), shape);
            result.copy_(values);
        }
        else if (type == ScalarType.Int64 && proto.Int64Data.Count == result.numel())
        {
            using var values = tensor(proto.Int64Data.ToArray(), shape);
            result.copy_(values);
        }
        else throw new InvalidDataException($"{source}: initializer \"{proto.Name}\" carries no data");
        return result;
    }

    /// <summary>
    /// The sizes of the encoder, read off the tensor shapes. Heads, activation and LayerNorm epsilon do not show in weights:
    /// <paramref name="template"/> supplies them.
    /// </summary>
    public static EncoderConfig InferConfig(IReadOnlyDictionary<string, Tensor> stateDict, EncoderConfig template, string source)
    {
        Tensor Get(string name) => stateDict.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"{source}: the export has no \"{name}\"");
        var words = Get("embeddings.word_embeddings.weight");
        int layers = stateDict.Keys
            .Where(k => k.StartsWith("encoder.layer.", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[2], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1).Max() + 1;
        var config = template with
        {
            VocabSize = (int)words.shape[0],
            HiddenSize = (int)words.shape[1],
            NumHiddenLayers = layers,
            IntermediateSize = (int)Get("encoder.layer.0.intermediate.dense.bias").shape[0],
            MaxPositionEmbeddings = (int)Get("embeddings.position_embeddings.weight").shape[0],
            TypeVocabSize = stateDict.TryGetValue("embeddings.token_type_embeddings.weight", out var types) ? (int)types.shape[0] : 0,
        };
        config.Validate(source);
        return config;
    }
}
