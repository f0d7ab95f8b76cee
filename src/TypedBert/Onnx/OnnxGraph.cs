using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace TypedBert.Onnx;

/// <summary>
/// A small writer of ONNX graphs: named initializers, nodes with attributes, typed inputs and outputs with symbolic axes.
/// Names of intermediate values come from a counter so that a graph writer only names what a reader needs to find
/// (inputs, outputs, and initializers under the checkpoint's names).
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The ai.onnx operator set the graphs are written for: <c>LayerNormalization</c> arrived in 17.</summary>
    public const int Opset = 17;

    /// <summary>The domain of ONNX Runtime's own operators (<c>DynamicQuantizeMatMul</c>, <c>Attention</c>, ...).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    readonly GraphProto graph = new() { Name = "typedbert" };
    readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    readonly HashSet<string> initializers = new(StringComparer.Ordinal);
    int next;
    bool usesMicrosoftDomain;

    /// <summary>Declares a graph input of element type <paramref name="type"/> and the given axes (a string is a symbolic axis).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] axes)
    {
        graph.Input.Add(ValueInfo(name, type, axes));
        return name;
    }

    /// <summary>Declares a graph output.</summary>
    public void Output(string name, TensorProto.Types.DataType type, params object[] axes) => graph.Output.Add(ValueInfo(name, type, axes));

    /// <summary>A float initializer from a libtorch tensor (copied to the CPU as float32), optionally transposed for MatMul's [in, out].</summary>
    public string Weight(string name, Tensor tensor, bool transpose = false)
    {
        if (initializers.Contains(name)) return name; // shared weights (ALBERT's layers) are written once
        using var scope = NewDisposeScope();
        var source = (transpose ? tensor.t() : tensor).detach().to(ScalarType.Float32).cpu().contiguous();
        return Initializer(name, TensorProto.Types.DataType.Float, source.shape, source.bytes.ToArray());
    }

    /// <summary>A float initializer from values.</summary>
    public string Floats(string name, long[] shape, float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Initializer(name, TensorProto.Types.DataType.Float, shape, bytes);
    }

    /// <summary>An int8 initializer.</summary>
    public string Int8(string name, long[] shape, sbyte[] values)
    {
        var bytes = new byte[values.Length];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Initializer(name, TensorProto.Types.DataType.Int8, shape, bytes);
    }

    /// <summary>Whether an initializer of that name was written.</summary>
    public bool Has(string name) => initializers.Contains(name);

    /// <summary>A raw initializer: little-endian element bytes in row-major order.</summary>
    public string Initializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<long> shape, byte[] bytes)
    {
        if (!initializers.Add(name)) return name;
        var proto = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        proto.Dims.AddRange(shape.ToArray());
        graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>A shared int64 scalar constant (an index that drops its axis in Gather).</summary>
    public string Int64Scalar(long value) => Constant("i64", TensorProto.Types.DataType.Int64, [], BitConverter.GetBytes(value),
        value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A shared 1-D int64 constant, even for one value (for inputs that must be 1-D, such as Unsqueeze's axes).</summary>
    public string Int64Vector(params long[] values) => Constant("i64v", TensorProto.Types.DataType.Int64, [values.Length],
        values.SelectMany(BitConverter.GetBytes).ToArray(), string.Join("_", values));

    /// <summary>A shared float scalar constant.</summary>
    public string Float(float value) => Constant("f32", TensorProto.Types.DataType.Float, [], BitConverter.GetBytes(value),
        BitConverter.SingleToInt32Bits(value).ToString(System.Globalization.CultureInfo.InvariantCulture));

    string Constant(string kind, TensorProto.Types.DataType type, long[] shape, byte[] bytes, string key)
    {
        string id = kind + ":" + key;
        if (constants.TryGetValue(id, out var name)) return name;
        name = $"const_{kind}_{constants.Count}";
        constants[id] = name;
        return Initializer(name, type, shape, bytes);
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, string[] inputs, params (string Name, object Value)[] attributes) =>
        NodeWithOutputs(op, inputs, 1, null, attributes)[0];

    /// <summary>Adds a node of ONNX Runtime's <c>com.microsoft</c> domain with one output.</summary>
    public string MicrosoftNode(string op, string[] inputs, params (string Name, object Value)[] attributes) =>
        NodeWithOutputs(op, inputs, 1, MicrosoftDomain, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> outputs; an empty input name stands for an omitted optional input.</summary>
    public string[] NodeWithOutputs(string op, string[] inputs, int outputs, string? domain, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{next}" };
        if (domain is not null)
        {
            node.Domain = domain;
            usesMicrosoftDomain |= domain == MicrosoftDomain;
        }
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => $"{op}_{next}_out{i}").ToArray();
        next++;
        node.Output.AddRange(names);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        graph.Node.Add(node);
        return names;
    }

    /// <summary>Renames the output of the node that produced <paramref name="value"/> (to give a graph output its public name).</summary>
    public void Rename(string value, string name)
    {
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == value) node.Output[i] = name;
        foreach (var node in graph.Node)
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == value) node.Input[i] = name;
    }

    /// <summary>The finished model: IR version 8, ai.onnx <see cref="Opset"/>, and com.microsoft 1 where its operators are used.</summary>
    public ModelProto ToModel(IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "TypedBert",
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (usesMicrosoftDomain) model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] axes)
    {
        var shape = new TensorShapeProto();
        foreach (var axis in axes)
            shape.Dim.Add(axis switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"axis {axis} is neither a symbol nor a size", nameof(axes)),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    static AttributeProto Attribute(string name, object value) => value switch
    {
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        double d => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)d },
        long[] ints => WithInts(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints }, ints),
        string s => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) },
        _ => throw new ArgumentException($"attribute {name}: unsupported value {value}", nameof(value)),
    };

    static AttributeProto WithInts(AttributeProto attribute, long[] values)
    {
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
