using Onnx;
using TypedBert.Classification;
using TypedBert.Modeling;
using TypedBert.Modeling.Albert;
using TypedBert.Pretrained;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace TypedBert.Onnx;

/// <summary>
/// Writes a sequence classifier as an ONNX graph, one architecture at a time, mirroring the libtorch modules: the same steps in the
/// same order, with initializers under the checkpoint's names (<c>bert.encoder.layer.0.attention.self.query.weight</c>). Dropout
/// is left out (inference). Inputs <c>input_ids</c>, <c>attention_mask</c> and, where the model has segments,
/// <c>token_type_ids</c> (int64, [batch, sequence]); output <c>logits</c> (float, [batch, labels]).
/// </summary>
internal sealed class ClassifierGraphWriter
{
    readonly OnnxGraph graph = new();
    readonly SequenceClassificationModel model;
    readonly OnnxExportOptions options;
    readonly Dictionary<string, Tensor> weights;
    readonly EncoderConfig config;
    readonly StaticQuantizer? quantizer;

    ClassifierGraphWriter(SequenceClassificationModel model, OnnxExportOptions options, StaticQuantizer? quantizer = null)
    {
        this.model = model;
        this.options = options;
        this.quantizer = quantizer;
        config = model.Config.Encoder;
        weights = StateDict.Named(model).ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
    }

    /// <summary>The graph of <paramref name="model"/>.</summary>
    /// <exception cref="NotSupportedException">The architecture cannot be exported (Longformer); the message says why.</exception>
    public static ModelProto Write(SequenceClassificationModel model, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (model.Family.OnnxGraph is null)
            throw new NotSupportedException(model.Family.NoOnnxGraphReason ?? $"model_type \"{model.Family.ModelType}\" has no ONNX graph writer");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (options.Quantization == OnnxQuantization.Int8Static)
            throw new InvalidOperationException("OnnxQuantization.Int8Static needs calibration: export it with OnnxExport (OnnxExportOptions.CalibrationTexts), which measures the activation ranges first");
        return new ClassifierGraphWriter(model, options).WriteGraph();
    }

    /// <summary>
    /// The graph of <paramref name="model"/> in the layout of the static int8 graph, with <paramref name="quantizer"/> deciding what
    /// happens at each activation that graph quantizes: recorded as an extra output (calibration) or quantized with its range.
    /// </summary>
    internal static ModelProto WriteStatic(SequenceClassificationModel model, OnnxExportOptions options, StaticQuantizer quantizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Family.OnnxGraph is null)
            throw new NotSupportedException(model.Family.NoOnnxGraphReason ?? $"model_type \"{model.Family.ModelType}\" has no ONNX graph writer");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return new ClassifierGraphWriter(model, options with { Quantization = OnnxQuantization.Int8Static }, quantizer).WriteGraph();
    }

    bool FusedOperators => options.Operators == OnnxOperators.OnnxRuntime;

    bool Int8 => options.Quantization == OnnxQuantization.Int8;

    /// <summary>The static int8 layout: QDQ pairs, or (while calibrating) the float graph that records their inputs.</summary>
    bool Static => quantizer is not null;

    /// <summary>Whether weights are stored as int8 (dynamic int8, or static int8 past calibration).</summary>
    bool Int8Weights => Int8 || quantizer is { Calibrating: false };

    ModelProto WriteGraph()
    {
        var family = model.Family;
        bool hasSegments = config.TypeVocabSize > 1;
        string ids = graph.Input("input_ids", DataType.Int64, "batch", "sequence");
        string mask = graph.Input("attention_mask", DataType.Int64, "batch", "sequence");
        string? segments = hasSegments ? graph.Input("token_type_ids", DataType.Int64, "batch", "sequence") : null;
        var attentionMask = new AttentionMask(this, mask);

        // The registration's layout (not the family's name) picks the modules to mirror.
        var layout = family.OnnxGraph!;
        string prefix = family.EncoderPrefix;
        string hidden = layout.Layers switch
        {
            OnnxLayerStack.Bert => BertLayers(prefix, ids, segments, attentionMask, family.PositionsAfterPadding),
            OnnxLayerStack.DistilBert => DistilBertLayers(prefix, ids, attentionMask),
            OnnxLayerStack.Albert => AlbertLayers(prefix, ids, segments, attentionMask),
            _ => throw new NotSupportedException($"model_type \"{config.ModelType}\" has no ONNX graph writer"),
        };
        string pooled = Pool(hidden, mask, layout.Pooler is null ? null : prefix + layout.Pooler);
        string logits = layout.Head switch
        {
            OnnxHead.Linear => Linear(pooled, "classifier", quantize: false),
            OnnxHead.DenseTanhOutProjection =>
                Linear(graph.Node("Tanh", [Linear(pooled, "classifier.dense", quantize: false)]), "classifier.out_proj", quantize: false),
            OnnxHead.PreClassifierRelu => Linear(graph.Node("Relu", [Linear(pooled, "pre_classifier", quantize: false)]), "classifier", quantize: false),
            _ => throw new NotSupportedException($"model_type \"{config.ModelType}\" has no ONNX graph writer"),
        };

        graph.Rename(logits, "logits");
        graph.Output("logits", DataType.Float, "batch", model.Config.NumLabels);
        return graph.ToModel(Metadata());
    }

    string BertLayers(string prefix, string ids, string? segments, AttentionMask mask, bool positionsAfterPadding)
    {
        string hidden = Embeddings(prefix + "embeddings.", ids, segments, config.LayerNormEps, positionsAfterPadding);
        for (int i = 0; i < config.NumHiddenLayers; i++) hidden = BertLayer($"{prefix}encoder.layer.{i}.", hidden, mask);
        return hidden;
    }

    string DistilBertLayers(string prefix, string ids, AttentionMask mask)
    {
        string hidden = Embeddings(prefix + "embeddings.", ids, null, 1e-12, positionsAfterPadding: false);
        for (int i = 0; i < config.NumHiddenLayers; i++) hidden = DistilBertLayer($"{prefix}transformer.layer.{i}.", hidden, mask);
        return hidden;
    }

    string AlbertLayers(string prefix, string ids, string? segments, AttentionMask mask)
    {
        string hidden = Embeddings(prefix + "embeddings.", ids, segments, config.LayerNormEps, positionsAfterPadding: false);
        hidden = Linear(hidden, prefix + "encoder.embedding_hidden_mapping_in");
        var shape = AlbertShape.Of(config);
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            int group = i * shape.HiddenGroups / config.NumHiddenLayers;
            for (int j = 0; j < shape.InnerGroupLayers; j++)
                hidden = AlbertLayer($"{prefix}encoder.albert_layer_groups.{group}.albert_layers.{j}.", hidden, mask);
        }
        return hidden;
    }

    Dictionary<string, string> Metadata() => new()
    {
        ["model_type"] = config.ModelType,
        ["problem_type"] = model.Config.ProblemType.ToHuggingFace(),
        ["id2label"] = System.Text.Json.JsonSerializer.Serialize(model.Config.Labels),
        ["typedbert_pooling"] = model.Config.Pooling.ToString().ToLowerInvariant(),
        ["typedbert_operators"] = options.Operators.ToString(),
        ["typedbert_quantization"] = options.Quantization.ToString(),
    };

    // ---- Embeddings -------------------------------------------------------------------------------------------------------------

    /// <summary>Word + position (+ segment) embeddings, then LayerNorm, as <see cref="Modeling.Bert.BertEmbeddings"/>.</summary>
    string Embeddings(string prefix, string ids, string? segments, double epsilon, bool positionsAfterPadding)
    {
        string words = Int8Weights
            ? QuantizedEmbedding(prefix + "word_embeddings.weight", ids)
            : graph.Node("Gather", [Weight(prefix + "word_embeddings.weight"), ids]);
        string positionTable = Weight(prefix + "position_embeddings.weight");
        string positions;
        if (positionsAfterPadding)
        {
            // RoBERTa: tokens count from pad + 1, padding sits at pad (transformers' create_position_ids_from_input_ids).
            string isToken = graph.Node("Cast", [graph.Node("Not", [graph.Node("Equal", [ids, graph.Int64Scalar(config.PadTokenId)])])], ("to", (long)DataType.Int64));
            string ordinal = graph.Node("Mul", [graph.Node("CumSum", [isToken, graph.Int64Scalar(1)]), isToken]);
            positions = graph.Node("Gather", [positionTable, graph.Node("Add", [ordinal, graph.Int64Scalar(config.PadTokenId)])]);
        }
        else
        {
            string length = graph.Node("Slice", [graph.Node("Shape", [ids]), graph.Int64Vector(1), graph.Int64Vector(2)]);
            positions = graph.Node("Slice", [positionTable, graph.Int64Vector(0), length, graph.Int64Vector(0)]); // [sequence, width]
        }
        string sum = graph.Node("Add", [words, positions]);
        string typeName = prefix + "token_type_embeddings.weight";
        if (segments is not null)
            sum = graph.Node("Add", [sum, graph.Node("Gather", [Weight(typeName), segments])]);
        else if (weights.TryGetValue(typeName, out var types))
            sum = graph.Node("Add", [sum, graph.Weight(typeName + "[0]", types[0])]); // one segment: its row is added to every token
        return LayerNorm(sum, prefix + "LayerNorm", epsilon);
    }

    // ---- Layers -----------------------------------------------------------------------------------------------------------------

    /// <summary><c>encoder.layer.N</c> of BERT and RoBERTa: attention, residual LayerNorm, feed-forward, residual LayerNorm.</summary>
    string BertLayer(string prefix, string hidden, AttentionMask mask)
    {
        string context = SelfAttention(hidden, mask, prefix + "attention.self.query", prefix + "attention.self.key", prefix + "attention.self.value");
        string attended = ResidualLayerNorm(context, prefix + "attention.output.dense", hidden, prefix + "attention.output.LayerNorm", config.LayerNormEps);
        string expanded = LinearActivation(attended, prefix + "intermediate.dense", config.HiddenAct);
        return ResidualLayerNorm(expanded, prefix + "output.dense", attended, prefix + "output.LayerNorm", config.LayerNormEps);
    }

    /// <summary><c>transformer.layer.N</c> of DistilBERT (LayerNorm epsilon fixed at 1e-12, as transformers has it).</summary>
    string DistilBertLayer(string prefix, string hidden, AttentionMask mask)
    {
        string context = SelfAttention(hidden, mask, prefix + "attention.q_lin", prefix + "attention.k_lin", prefix + "attention.v_lin");
        string attended = ResidualLayerNorm(context, prefix + "attention.out_lin", hidden, prefix + "sa_layer_norm", 1e-12);
        string expanded = LinearActivation(attended, prefix + "ffn.lin1", config.HiddenAct);
        return ResidualLayerNorm(expanded, prefix + "ffn.lin2", attended, prefix + "output_layer_norm", 1e-12);
    }

    /// <summary>One inner layer of an ALBERT layer group (its weights are shared by every layer that runs the group).</summary>
    string AlbertLayer(string prefix, string hidden, AttentionMask mask)
    {
        string context = SelfAttention(hidden, mask, prefix + "attention.query", prefix + "attention.key", prefix + "attention.value");
        string attended = ResidualLayerNorm(context, prefix + "attention.dense", hidden, prefix + "attention.LayerNorm", config.LayerNormEps);
        string expanded = LinearActivation(attended, prefix + "ffn", config.HiddenAct);
        return ResidualLayerNorm(expanded, prefix + "ffn_output", attended, prefix + "full_layer_layer_norm", config.LayerNormEps);
    }

    // ---- Attention --------------------------------------------------------------------------------------------------------------

    /// <summary>The mask in the forms the attention steps need, each made once per graph.</summary>
    sealed class AttentionMask(ClassifierGraphWriter writer, string mask)
    {
        string? additive, int32;

        /// <summary>[batch, 1, 1, sequence]: 0 for tokens, float.MinValue for padding, as <see cref="AttentionMasks.ToAdditive"/>.</summary>
        public string Additive => additive ??= writer.graph.Node("Unsqueeze", [
            writer.graph.Node("Mul", [
                writer.graph.Node("Sub", [writer.graph.Float(1f), writer.graph.Node("Cast", [mask], ("to", (long)DataType.Float))]),
                writer.graph.Float(float.MinValue)]),
            writer.graph.Int64Vector(1, 2)]);

        /// <summary>[batch, sequence] int32 1/0: the raw mask that ONNX Runtime's <c>Attention</c> takes as mask_index.</summary>
        public string Int32 => int32 ??= writer.graph.Node("Cast", [mask], ("to", (long)DataType.Int32));
    }

    /// <summary>Multi-head self-attention over the three projections named, the heads joined again: [batch, sequence, hidden].</summary>
    string SelfAttention(string hidden, AttentionMask mask, string query, string key, string value)
    {
        int heads = config.NumAttentionHeads;
        if (Static) return StaticSelfAttention(hidden, mask, query, key, value);
        if (FusedOperators && !Int8 && options.WithoutAttentionMask)
        {
            // No mask: MultiHeadAttention, whose CPU kernel runs flash attention only when it has no key padding mask.
            using var packedWeight = cat([weights[query + ".weight"], weights[key + ".weight"], weights[value + ".weight"]], 0);
            string product = graph.Node("MatMul", [hidden, graph.Weight(query + "+key+value.weight", packedWeight, transpose: true)]);
            var qkv = graph.NodeWithOutputs("Split", [product, graph.Int64Vector(config.HiddenSize, config.HiddenSize, config.HiddenSize)], 3, null, ("axis", -1L));
            using var packedBias = cat([weights[query + ".bias"], weights[key + ".bias"], weights[value + ".bias"]], 0);
            return graph.MicrosoftNode("MultiHeadAttention", [qkv[0], qkv[1], qkv[2], graph.Weight(query + "+key+value.bias", packedBias)], ("num_heads", (long)heads));
        }
        if (FusedOperators && !Int8)
        {
            // ONNX Runtime's Attention: one [hidden, 3 * hidden] projection (query, key, value side by side), softmax and context fused.
            string packedWeight = graph.Weight(query + "+key+value.weight", cat([weights[query + ".weight"], weights[key + ".weight"], weights[value + ".weight"]], 0), transpose: true);
            string packedBias = graph.Weight(query + "+key+value.bias", cat([weights[query + ".bias"], weights[key + ".bias"], weights[value + ".bias"]], 0));
            return graph.MicrosoftNode("Attention", [hidden, packedWeight, packedBias, mask.Int32], ("num_heads", (long)heads));
        }
        string q, k, v;
        if (Int8)
        {
            // One quantized product for the three projections: the activations are quantized once instead of three times.
            using var packed = cat([weights[query + ".weight"], weights[key + ".weight"], weights[value + ".weight"]], 0);
            using var packedBias = cat([weights[query + ".bias"], weights[key + ".bias"], weights[value + ".bias"]], 0);
            string bias = graph.Weight(query + "+key+value.bias", packedBias);
            if (FusedOperators)
            {
                // QAttention: the int8 projection, softmax and context in one operator; its input is quantized to uint8 first.
                var (qWeight, qScale) = QuantizedWeight(query + "+key+value", packed);
                var input = graph.NodeWithOutputs("DynamicQuantizeLinear", [hidden], 3, null);
                return graph.MicrosoftNode("QAttention", [input[0], qWeight, bias, input[1], qScale, options.WithoutAttentionMask ? "" : mask.Int32, input[2]], ("num_heads", (long)heads));
            }
            string qkv = QuantizedMatMul(hidden, query + "+key+value", packed, bias);
            var parts = graph.NodeWithOutputs("Split", [qkv, graph.Int64Vector(config.HiddenSize, config.HiddenSize, config.HiddenSize)], 3, null, ("axis", -1L));
            (q, k, v) = (parts[0], parts[1], parts[2]);
        }
        else
        {
            (q, k, v) = (Linear(hidden, query), Linear(hidden, key), Linear(hidden, value));
        }
        string heads4 = graph.Int64Vector(0, 0, heads, config.HeadSize);
        string SplitHeads(string x, long[] permutation) => graph.Node("Transpose", [graph.Node("Reshape", [x, heads4])], ("perm", permutation));
        string scores = graph.Node("MatMul", [SplitHeads(q, [0, 2, 1, 3]), SplitHeads(k, [0, 2, 3, 1])]);
        string scaled = graph.Node("Mul", [scores, graph.Float((float)(1 / Math.Sqrt(config.HeadSize)))]);
        if (!options.WithoutAttentionMask) scaled = graph.Node("Add", [scaled, mask.Additive]);
        string context = graph.Node("MatMul", [graph.Node("Softmax", [scaled], ("axis", -1L)), SplitHeads(v, [0, 2, 1, 3])]);
        return graph.Node("Reshape", [graph.Node("Transpose", [context], ("perm", new long[] { 0, 2, 1, 3 })), graph.Int64Vector(0, 0, config.HiddenSize)]);
    }

    /// <summary>
    /// Self-attention of the static int8 graph: one packed Q/K/V product, then (unless only the Linear layers are quantized) the
    /// score and context products with quantized inputs, so that ONNX Runtime runs them as int8 too; the softmax stays float
    /// and its output, a probability, is quantized over the fixed range [0, 1].
    /// </summary>
    string StaticSelfAttention(string hidden, AttentionMask mask, string query, string key, string value)
    {
        int heads = config.NumAttentionHeads;
        using var packed = cat([weights[query + ".weight"], weights[key + ".weight"], weights[value + ".weight"]], 0);
        using var packedBias = cat([weights[query + ".bias"], weights[key + ".bias"], weights[value + ".bias"]], 0);
        string bias = graph.Weight(query + "+key+value.bias", packedBias);
        if (FusedOperators && !options.QuantizeAttentionProducts && !quantizer!.Calibrating)
        {
            // QAttention as in the dynamic graph, its input quantized with the calibrated range instead of per batch.
            var (qWeight, qScale) = QuantizedWeight(query + "+key+value", packed);
            var (quantized, scale, zeroPoint) = quantizer.Quantize(graph, query + "+key+value:input", hidden);
            return graph.MicrosoftNode("QAttention", [quantized, qWeight, bias, scale, qScale, options.WithoutAttentionMask ? "" : mask.Int32, zeroPoint], ("num_heads", (long)heads));
        }
        string qkv = StaticMatMul(hidden, query + "+key+value", packed, bias);
        var parts = graph.NodeWithOutputs("Split", [qkv, graph.Int64Vector(config.HiddenSize, config.HiddenSize, config.HiddenSize)], 3, null, ("axis", -1L));
        string heads4 = graph.Int64Vector(0, 0, heads, config.HeadSize);
        string SplitHeads(string x, long[] permutation) => graph.Node("Transpose", [graph.Node("Reshape", [x, heads4])], ("perm", permutation));
        bool products = options.QuantizeAttentionProducts;
        string Input(string x, string suffix) => products && !quantizer!.KeepsFloat(query + suffix) ? quantizer.Activation(graph, query + suffix, x) : x;
        // The 1/sqrt(d) scale is folded into the query before it is quantized, so that the product's output needs no Mul.
        string scaledQuery = graph.Node("Mul", [parts[0], graph.Float((float)(1 / Math.Sqrt(config.HeadSize)))]);
        string scores = graph.Node("MatMul", [Input(SplitHeads(scaledQuery, [0, 2, 1, 3]), ":query"), Input(SplitHeads(parts[1], [0, 2, 3, 1]), ":key")]);
        string probabilities = graph.Node("Softmax", [options.WithoutAttentionMask ? scores : graph.Node("Add", [scores, mask.Additive])], ("axis", -1L));
        string quantizedProbabilities = products ? quantizer!.Probability(graph, query + ":probabilities", probabilities) : probabilities;
        string context = graph.Node("MatMul", [quantizedProbabilities, Input(SplitHeads(parts[2], [0, 2, 1, 3]), ":value")]);
        return graph.Node("Reshape", [graph.Node("Transpose", [context], ("perm", new long[] { 0, 2, 1, 3 })), graph.Int64Vector(0, 0, config.HiddenSize)]);
    }

    // ---- Linear layers ----------------------------------------------------------------------------------------------------------

    /// <summary>x W^T + b for the Linear <paramref name="prefix"/>; quantized when the export is int8 and <paramref name="quantize"/>.</summary>
    string Linear(string x, string prefix, bool quantize = true)
    {
        string bias = Weight(prefix + ".bias");
        if (Static && quantize) return StaticMatMul(x, prefix, weights[prefix + ".weight"], bias);
        if (Int8 && quantize) return QuantizedMatMul(x, prefix, weights[prefix + ".weight"], bias);
        return graph.Node("Add", [graph.Node("MatMul", [x, Weight(prefix + ".weight", transpose: true)]), bias]);
    }

    /// <summary>The product without its bias, for a fused operator that adds the bias itself.</summary>
    string ProductWithoutBias(string x, string prefix) => Static ? StaticMatMul(x, prefix, weights[prefix + ".weight"], bias: null)
        : Int8 ? QuantizedMatMul(x, prefix, weights[prefix + ".weight"], bias: null)
        : graph.Node("MatMul", [x, Weight(prefix + ".weight", transpose: true)]);

    /// <summary>The Linear <paramref name="prefix"/> and the activation <paramref name="activation"/>.</summary>
    string LinearActivation(string x, string prefix, string activation)
    {
        if (FusedOperators && activation is "gelu" or "gelu_new" or "gelu_pytorch_tanh")
        {
            // BiasGelu is the exact (erf) GELU, FastGelu the tanh approximation; both add the bias first.
            string op = activation == "gelu" ? "BiasGelu" : "FastGelu";
            return graph.MicrosoftNode(op, [ProductWithoutBias(x, prefix), Weight(prefix + ".bias")]);
        }
        return Activation(Linear(x, prefix), activation);
    }

    /// <summary>
    /// LayerNorm(x W^T + b + residual): the output block of every transformer layer. Written as Add and the standard
    /// LayerNormalization in both operator sets: ONNX Runtime 1.31's CPU kernel of the fused SkipLayerNormalization took about
    /// four times as long as the two (`bench onnx-profile`, MiniLM, batch 32 x 128: 37.8 ms against 8.1 + a few ms of Add).
    /// </summary>
    string ResidualLayerNorm(string x, string densePrefix, string residual, string normPrefix, double epsilon)
    {
        return LayerNorm(graph.Node("Add", [Linear(x, densePrefix), residual]), normPrefix, epsilon);
    }

    string LayerNorm(string x, string prefix, double epsilon) =>
        graph.Node("LayerNormalization", [x, Weight(prefix + ".weight"), Weight(prefix + ".bias")], ("axis", -1L), ("epsilon", (float)epsilon));

    /// <summary>
    /// x W^T + b with W quantized to int8 (symmetric, one scale per output channel) and x quantized to uint8 per call; the result
    /// is float. ONNX Runtime's operators: one <c>DynamicQuantizeMatMul</c>; standard operators: <c>DynamicQuantizeLinear</c>,
    /// <c>MatMulInteger</c>, then the two scales.
    /// </summary>
    string QuantizedMatMul(string x, string name, Tensor weight, string? bias)
    {
        var (qWeight, qScale) = QuantizedWeight(name, weight);
        if (FusedOperators)
            return graph.MicrosoftNode("DynamicQuantizeMatMul", bias is null ? [x, qWeight, qScale] : [x, qWeight, qScale, "", bias]);
        var q = graph.NodeWithOutputs("DynamicQuantizeLinear", [x], 3, null);
        string product = graph.Node("Cast", [graph.Node("MatMulInteger", [q[0], qWeight, q[2]])], ("to", (long)DataType.Float));
        string result = graph.Node("Mul", [product, graph.Node("Mul", [q[1], qScale])]);
        return bias is null ? result : graph.Node("Add", [result, bias]);
    }

    /// <summary>
    /// x W^T + b of the static int8 graph: x through its calibrated QuantizeLinear/DequantizeLinear pair, W as int8 through a
    /// per-channel DequantizeLinear, as ONNX Runtime's static quantizer writes a MatMul (its QDQ transformer fuses the three into
    /// one int8 product, MatMulIntegerToFloat). While calibrating: the float product, with x recorded.
    /// </summary>
    string StaticMatMul(string x, string name, Tensor weight, string? bias)
    {
        string product;
        if (quantizer!.KeepsFloat(name + ":input"))
        {
            product = graph.Node("MatMul", [x, graph.Weight(name + ".weight^T", weight, transpose: true)]);
        }
        else if (quantizer.Calibrating)
        {
            product = graph.Node("MatMul", [quantizer.Activation(graph, name + ":input", x), graph.Weight(name + ".weight^T", weight, transpose: true)]);
        }
        else if (FusedOperators)
        {
            // ONNX Runtime's operator directly: the int8 product, both scales and the bias in one kernel (the QDQ form leaves the bias as an Add).
            var (qWeight, qScale) = QuantizedWeight(name, weight);
            var (quantized, scale, zeroPoint) = quantizer.Quantize(graph, name + ":input", x);
            return graph.MicrosoftNode("MatMulIntegerToFloat", bias is null ? [quantized, qWeight, scale, qScale, zeroPoint] : [quantized, qWeight, scale, qScale, zeroPoint, "", bias]);
        }
        else
        {
            string input = quantizer.Activation(graph, name + ":input", x);
            var (qWeight, qScale) = QuantizedWeight(name, weight);
            string zeros = graph.Int8(name + ".weight_zero_point", [weight.shape[0]], new sbyte[weight.shape[0]]);
            product = graph.Node("MatMul", [input, graph.Node("DequantizeLinear", [qWeight, qScale, zeros], ("axis", 1L))]);
        }
        return bias is null ? product : graph.Node("Add", [product, bias]);
    }

    /// <summary>
    /// The int8 form of a Linear weight [out, in]: MatMul's [in, out] layout, symmetric (zero point 0), one scale per output
    /// channel, so that a channel of small weights keeps its resolution. Written once per name (ALBERT shares its layers).
    /// </summary>
    (string Weight, string Scale) QuantizedWeight(string name, Tensor weight)
    {
        string qWeight = name + ".weight_int8", qScale = name + ".weight_scale";
        if (graph.Has(qWeight)) return (qWeight, qScale);
        using var scope = NewDisposeScope();
        var (quantized, scale) = QuantizeRows(weight);
        graph.Initializer(qWeight, DataType.Int8, [quantized.shape[1], quantized.shape[0]], quantized.t().contiguous().bytes.ToArray());
        graph.Weight(qScale, scale);
        return (qWeight, qScale);
    }

    /// <summary>Each row of <paramref name="matrix"/> as int8 in [-127, 127] with its own scale: row ≈ scale × int8 row.</summary>
    internal static (Tensor Quantized, Tensor Scale) QuantizeRows(Tensor matrix)
    {
        var w = matrix.detach().to(ScalarType.Float32).cpu();
        var scale = w.abs().amax([1]).clamp_min(1e-12f) / 127f;
        return ((w / scale.unsqueeze(1)).round().clamp(-127, 127).to(ScalarType.Int8), scale);
    }

    /// <summary>
    /// The word embeddings of an int8 graph: the table stored as int8 with one scale per row (the table is most of a small model's
    /// file), the rows of the batch's ids gathered and scaled back to float.
    /// </summary>
    string QuantizedEmbedding(string name, string ids)
    {
        using var scope = NewDisposeScope();
        var (quantized, scale) = QuantizeRows(weights[name]);
        string table = graph.Initializer(name + "_int8", DataType.Int8, quantized.shape, quantized.contiguous().bytes.ToArray());
        string scales = graph.Weight(name + "_scale", scale.unsqueeze(1));
        return graph.Node("Mul", [graph.Node("Cast", [graph.Node("Gather", [table, ids])], ("to", (long)DataType.Float)), graph.Node("Gather", [scales, ids])]);
    }

    string Activation(string x, string name) => name switch
    {
        "gelu" => graph.Node("Mul", [graph.Node("Mul", [x, graph.Float(0.5f)]),
            graph.Node("Add", [graph.Float(1f), graph.Node("Erf", [graph.Node("Mul", [x, graph.Float((float)(1 / Math.Sqrt(2)))])])])]),
        "gelu_new" or "gelu_pytorch_tanh" => TanhGelu(x),
        "relu" => graph.Node("Relu", [x]),
        "silu" or "swish" => graph.Node("Mul", [x, graph.Node("Sigmoid", [x])]),
        "tanh" => graph.Node("Tanh", [x]),
        _ => throw new NotSupportedException($"hidden_act \"{name}\" has no ONNX form"),
    };

    /// <summary>0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).</summary>
    string TanhGelu(string x)
    {
        string cube = graph.Node("Mul", [graph.Node("Mul", [x, x]), x]);
        string inner = graph.Node("Mul", [graph.Node("Add", [x, graph.Node("Mul", [cube, graph.Float(0.044715f)])]), graph.Float((float)Math.Sqrt(2 / Math.PI))]);
        return graph.Node("Mul", [graph.Node("Mul", [x, graph.Float(0.5f)]), graph.Node("Add", [graph.Float(1f), graph.Node("Tanh", [inner])])]);
    }

    // ---- Pooling ----------------------------------------------------------------------------------------------------------------

    /// <summary>One vector per text, as the model's <see cref="PoolingStrategy"/> says: the pooler, the first token, or the masked mean.</summary>
    string Pool(string hidden, string mask, string? poolerPrefix)
    {
        var pooling = model.Config.Pooling;
        // RoBERTa's head and a Pooler-pooled model without pooler weights read the first token, as the libtorch modules do.
        if (pooling == PoolingStrategy.Pooler && poolerPrefix is not null && weights.ContainsKey(poolerPrefix + ".weight"))
            return graph.Node("Tanh", [Linear(FirstToken(hidden), poolerPrefix, quantize: false)]);
        if (pooling != PoolingStrategy.Mean) return FirstToken(hidden);
        string weightsOfTokens = graph.Node("Unsqueeze", [graph.Node("Cast", [mask], ("to", (long)DataType.Float)), graph.Int64Vector(-1)]);
        string sum = graph.Node("ReduceSum", [graph.Node("Mul", [hidden, weightsOfTokens]), graph.Int64Vector(1)], ("keepdims", 0L));
        string count = graph.Node("Max", [graph.Node("ReduceSum", [weightsOfTokens, graph.Int64Vector(1)], ("keepdims", 0L)), graph.Float(1f)]);
        return graph.Node("Div", [sum, count]);
    }

    string FirstToken(string hidden) => graph.Node("Gather", [hidden, graph.Int64Scalar(0)], ("axis", 1L));

    string Weight(string name, bool transpose = false) =>
        graph.Weight(transpose ? name + "^T" : name, weights.TryGetValue(name, out var tensor) ? tensor
            : throw new InvalidOperationException($"the model has no parameter \"{name}\" (parameters: {string.Join(", ", weights.Keys.Take(8))}, ...)"), transpose);
}
