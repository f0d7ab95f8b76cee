using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Longformer;

/// <summary>
/// <c>attention.self.*</c>: Longformer's attention. Each token attends to the tokens at most half a window away plus every global
/// token (with <c>query</c>, <c>key</c>, <c>value</c>); each global token attends to the whole sequence with its own projections
/// (<c>query_global</c>, <c>key_global</c>, <c>value_global</c>). The result is the one of Hugging Face's
/// <c>LongformerSelfAttention</c>; the work is done in query blocks of half a window, so memory grows with sequence × window, not sequence².
/// </summary>
internal sealed class LongformerSelfAttention : nn.Module
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear query_global;
    private readonly Linear key_global;
    private readonly Linear value_global;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly int headSize;
    private readonly double attentionDropout;

    /// <summary>Creates the projections for <paramref name="config"/>; <paramref name="window"/> is this layer's attention_window (even).</summary>
    public LongformerSelfAttention(EncoderConfig config, int window) : base(nameof(LongformerSelfAttention))
    {
        heads = config.NumAttentionHeads;
        headSize = config.HeadSize;
        attentionDropout = config.AttentionProbsDropoutProb;
        OneSidedWindow = window / 2;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        query_global = nn.Linear(config.HiddenSize, config.HiddenSize);
        key_global = nn.Linear(config.HiddenSize, config.HiddenSize);
        value_global = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>How far a token sees on each side: attention_window / 2.</summary>
    public int OneSidedWindow { get; }

    /// <param name="hidden">[batch, sequence, hidden].</param>
    /// <param name="masks">Padding, local keys and global tokens of the batch.</param>
    /// <returns>[batch, sequence, hidden], the heads concatenated; zero for padding tokens.</returns>
    public Tensor Forward(Tensor hidden, LongformerMasks masks)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], sequence = hidden.shape[1];
        double scale = 1 / Math.Sqrt(headSize);
        Tensor SplitHeads(Tensor x) => x.view(batch, sequence, heads, headSize).transpose(1, 2);
        var q = SplitHeads(query.Project(hidden) * scale);
        var k = SplitHeads(key.Project(hidden));
        var v = SplitHeads(value.Project(hidden));
        long globals = masks.GlobalCount;
        Tensor? globalKeys = null, globalValues = null, globalBias = null;
        var lowest = float.MinValue;
        if (globals > 0)
        {
            var index = masks.GlobalIndex.unsqueeze(1).unsqueeze(-1).expand(batch, heads, globals, headSize);
            globalKeys = k.gather(2, index);
            globalValues = v.gather(2, index);
            globalBias = zeros(batch, 1, 1, globals, ScalarType.Float32, hidden.device)
                .masked_fill(masks.GlobalValid.logical_not().unsqueeze(1).unsqueeze(1), lowest);
        }

        int block = Math.Max(1, OneSidedWindow);
        var pieces = new List<Tensor>();
        for (long start = 0; start < sequence; start += block)
        {
            long end = Math.Min(sequence, start + block);
            long low = Math.Max(0, start - OneSidedWindow), high = Math.Min(sequence, end + OneSidedWindow);
            var distance = arange(start, end, device: hidden.device).unsqueeze(1) - arange(low, high, device: hidden.device).unsqueeze(0);
            var allowed = distance.abs().le(OneSidedWindow).unsqueeze(0).logical_and(masks.LocalKeys.narrow(1, low, high - low).unsqueeze(1)).unsqueeze(1);
            var scores = q.narrow(2, start, end - start).matmul(k.narrow(2, low, high - low).transpose(-1, -2)).to(ScalarType.Float32)
                .masked_fill(allowed.logical_not(), lowest);
            if (globalKeys is not null)
                scores = cat([q.narrow(2, start, end - start).matmul(globalKeys.transpose(-1, -2)).to(ScalarType.Float32) + globalBias!, scores], -1);
            var probabilities = CounterDropout.Apply(scores.softmax(-1), attentionDropout, training).to(v.dtype);
            var context = probabilities.narrow(-1, globals, high - low).matmul(v.narrow(2, low, high - low));
            if (globalValues is not null) context = context + probabilities.narrow(-1, 0, globals).matmul(globalValues);
            pieces.Add(context);
        }
        var output = cat(pieces, 2).masked_fill(masks.Padding.unsqueeze(1).unsqueeze(-1), 0);
        if (globals > 0) output = WithGlobalRows(output, hidden, masks, scale);
        return output.transpose(1, 2).reshape(batch, sequence, heads * headSize).MoveToOuterDisposeScope();
    }

    /// <summary>Replaces the rows of global tokens by their attention over the whole sequence, with the global projections.</summary>
    Tensor WithGlobalRows(Tensor output, Tensor hidden, LongformerMasks masks, double scale)
    {
        long batch = hidden.shape[0], sequence = hidden.shape[1], globals = masks.GlobalCount;
        Tensor SplitHeads(Tensor x) => x.view(batch, -1, heads, headSize).transpose(1, 2);
        var rowIndex = masks.GlobalIndex.unsqueeze(-1).expand(batch, globals, hidden.shape[2]);
        var q = SplitHeads(query_global.Project(hidden.gather(1, rowIndex)) * scale);
        var k = SplitHeads(key_global.Project(hidden));
        var v = SplitHeads(value_global.Project(hidden));
        var scores = q.matmul(k.transpose(-1, -2)).to(ScalarType.Float32)
            .masked_fill(masks.Padding.unsqueeze(1).unsqueeze(1), float.MinValue);
        var probabilities = CounterDropout.Apply(scores.softmax(-1), attentionDropout, training).to(v.dtype);
        var globalRows = probabilities.matmul(v);
        var index = masks.GlobalIndex.unsqueeze(1).unsqueeze(-1).expand(batch, heads, globals, headSize);
        var merged = where(masks.GlobalValid.unsqueeze(1).unsqueeze(-1), globalRows, output.gather(2, index));
        return output.scatter(2, index, merged);
    }
}
