namespace TypedBert.Onnx;

/// <summary>
/// What <see cref="ClassifierGraphWriter"/> writes at each activation that the static int8 graph quantizes. While calibrating it
/// writes nothing and records the activation's name, so that the calibration run can read it as an output; with ranges it writes
/// a QuantizeLinear/DequantizeLinear pair with the activation's scale and zero point. Each activation has a key (the Linear
/// layer's name and the input: <c>bert.encoder.layer.0.output.dense:input</c>); a layer that runs again (ALBERT shares its
/// layers) gets <c>#1</c>, <c>#2</c>, ... so that both passes of the writer give the same keys in the same order.
/// </summary>
internal sealed class StaticQuantizer
{
    readonly IReadOnlyDictionary<string, ActivationRange>? ranges;
    readonly Func<string, bool>? keepFloat;
    readonly Dictionary<string, int> occurrences = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> probes = new(StringComparer.Ordinal);

    StaticQuantizer(IReadOnlyDictionary<string, ActivationRange>? ranges, Func<string, bool>? keepFloat = null) =>
        (this.ranges, this.keepFloat) = (ranges, keepFloat);

    /// <summary>A quantizer that records the activations to calibrate.</summary>
    public static StaticQuantizer ForCalibration() => new(null);

    /// <summary>
    /// A quantizer that writes QDQ pairs with <paramref name="ranges"/>, except at the activations whose name (without the
    /// <c>#N</c> of a repeated layer) <paramref name="keepFloat"/> names: those stay float, and so does the product they feed.
    /// </summary>
    public static StaticQuantizer WithRanges(IReadOnlyDictionary<string, ActivationRange> ranges, Func<string, bool>? keepFloat = null) => new(ranges, keepFloat);

    /// <summary>Whether the static graph leaves the activation <paramref name="name"/> float (never while calibrating: it is recorded).</summary>
    public bool KeepsFloat(string name) => ranges is not null && keepFloat?.Invoke(name) == true;

    /// <summary>True while the graph written is the float graph of the calibration run.</summary>
    public bool Calibrating => ranges is null;

    /// <summary>The activations recorded while calibrating: key to the name of the value in the graph.</summary>
    public IReadOnlyDictionary<string, string> Probes => probes;

    /// <summary>The activation <paramref name="value"/>, quantized with the range of <paramref name="name"/> (while calibrating: as it is, recorded).</summary>
    public string Activation(OnnxGraph graph, string name, string value)
    {
        string key = Key(name);
        if (ranges is null)
        {
            probes[key] = value;
            return value;
        }
        var (scale, zeroPoint) = Parameters(graph, key);
        return graph.Node("DequantizeLinear", [graph.Node("QuantizeLinear", [value, scale, zeroPoint]), scale, zeroPoint]);
    }

    /// <summary>
    /// The activation <paramref name="value"/> as uint8 with its scale and zero point, for an operator that takes them (ONNX
    /// Runtime's <c>MatMulIntegerToFloat</c>, <c>QAttention</c>). Not while calibrating.
    /// </summary>
    public (string Quantized, string Scale, string ZeroPoint) Quantize(OnnxGraph graph, string name, string value)
    {
        if (ranges is null) throw new InvalidOperationException("a calibration graph quantizes nothing");
        var (scale, zeroPoint) = Parameters(graph, Key(name));
        return (graph.Node("QuantizeLinear", [value, scale, zeroPoint]), scale, zeroPoint);
    }

    string Key(string name)
    {
        int seen = occurrences.GetValueOrDefault(name);
        occurrences[name] = seen + 1;
        return seen == 0 ? name : $"{name}#{seen}";
    }

    (string Scale, string ZeroPoint) Parameters(OnnxGraph graph, string key) =>
        ranges!.TryGetValue(key, out var range) ? Initializers(graph, key, range.ToUInt8())
            : throw new InvalidOperationException($"no calibrated range for the activation {key}: the calibration ran another graph layout");

    /// <summary>
    /// A softmax's output <paramref name="name"/>: a probability, quantized over [0, 1] without calibration (scale 1/255, zero
    /// point 0); as it is while calibrating or where it is kept float.
    /// </summary>
    public string Probability(OnnxGraph graph, string name, string value)
    {
        if (ranges is null || KeepsFloat(name)) return value;
        var (scale, zeroPoint) = Initializers(graph, "softmax:probabilities", new ActivationRange(0f, 1f).ToUInt8());
        return graph.Node("DequantizeLinear", [graph.Node("QuantizeLinear", [value, scale, zeroPoint]), scale, zeroPoint]);
    }

    static (string Scale, string ZeroPoint) Initializers(OnnxGraph graph, string key, (float Scale, byte ZeroPoint) quantization) =>
        (graph.Floats(key + ".scale", [], [quantization.Scale]),
         graph.Initializer(key + ".zero_point", global::Onnx.TensorProto.Types.DataType.Uint8, [], [quantization.ZeroPoint]));
}
