using TorchSharp;
using static TorchSharp.torch;

namespace TypedBert.Tokenization;

/// <summary>Token ids of one text (or text pair), special tokens included.</summary>
/// <param name="InputIds">[CLS] a [SEP] (b [SEP]).</param>
/// <param name="TokenTypeIds">0 for [CLS], a and its [SEP]; 1 for b and its [SEP].</param>
/// <param name="Truncated">Whether tokens were dropped to fit the maximum length.</param>
public sealed record EncodedText(int[] InputIds, int[] TokenTypeIds, bool Truncated)
{
    /// <summary>Number of tokens.</summary>
    public int Length => InputIds.Length;
}

/// <summary>
/// A batch padded to its longest member, laid out row-major as [batch, sequence]; padding has id
/// <c>[PAD]</c>, attention mask 0 and token type 0.
/// </summary>
public sealed class BatchEncoding
{
    /// <summary>Pads <paramref name="items"/> to the longest one.</summary>
    public BatchEncoding(IReadOnlyList<EncodedText> items, int padTokenId)
    {
        BatchSize = items.Count;
        SequenceLength = items.Count == 0 ? 0 : items.Max(i => i.Length);
        InputIds = new long[BatchSize * SequenceLength];
        AttentionMask = new long[InputIds.Length];
        TokenTypeIds = new long[InputIds.Length];
        Lengths = new int[BatchSize];
        Array.Fill(InputIds, padTokenId);
        for (int row = 0; row < BatchSize; row++)
        {
            var item = items[row];
            Lengths[row] = item.Length;
            int start = row * SequenceLength;
            for (int i = 0; i < item.Length; i++)
            {
                InputIds[start + i] = item.InputIds[i];
                TokenTypeIds[start + i] = item.TokenTypeIds[i];
                AttentionMask[start + i] = 1;
            }
        }
    }

    /// <summary>Encodes <paramref name="texts"/> (and <paramref name="pairs"/>) with <paramref name="tokenizer"/> and pads them to the longest.</summary>
    public static BatchEncoding Encode(ITextTokenizer tokenizer, IReadOnlyList<string> texts, IReadOnlyList<string>? pairs, int? maxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (pairs is not null && pairs.Count != texts.Count)
            throw new ArgumentException($"{texts.Count} texts but {pairs.Count} pair texts", nameof(pairs));
        var encoded = new EncodedText[texts.Count];
        for (int i = 0; i < texts.Count; i++) encoded[i] = tokenizer.Encode(texts[i], pairs?[i], maxLength);
        return new BatchEncoding(encoded, tokenizer.PadTokenId);
    }

    /// <summary>Rows.</summary>
    public int BatchSize { get; }
    /// <summary>Columns: the longest row's length.</summary>
    public int SequenceLength { get; }
    /// <summary>Token ids, [batch, sequence] row-major.</summary>
    public long[] InputIds { get; }
    /// <summary>1 for tokens, 0 for padding.</summary>
    public long[] AttentionMask { get; }
    /// <summary>Segment ids.</summary>
    public long[] TokenTypeIds { get; }
    /// <summary>Unpadded length of each row.</summary>
    public int[] Lengths { get; }

    /// <summary>The three int64 tensors the encoder takes, on <paramref name="device"/> (CPU when null).</summary>
    public ModelInputs ToTensors(Device? device = null)
    {
        long[] shape = [BatchSize, SequenceLength];
        Tensor Make(long[] data)
        {
            using var cpu = tensor(data, shape, ScalarType.Int64);
            return device is null || device.type == DeviceType.CPU ? cpu.clone() : cpu.to(device);
        }
        return new ModelInputs(Make(InputIds), Make(AttentionMask), Make(TokenTypeIds));
    }
}

/// <summary>Encoder inputs as tensors; disposing this disposes all three.</summary>
public sealed record ModelInputs(Tensor InputIds, Tensor AttentionMask, Tensor TokenTypeIds) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        TokenTypeIds.Dispose();
    }
}
