namespace TypedBert.Tests.Variants;

/// <summary>GPT-2's byte-to-character table (<c>bytes_to_unicode</c>): how byte-level BPE files spell every byte.</summary>
internal static class ByteLevelAlphabet
{
    public static readonly string[] ByteToChar = Build();

    static string[] Build()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var result = new string[256];
        int next = 256;
        for (int b = 0; b < 256; b++) result[b] = ((char)(printable.Contains(b) ? b : next++)).ToString();
        return result;
    }

    public static string Spell(string text) => string.Concat(System.Text.Encoding.UTF8.GetBytes(text).Select(b => ByteToChar[b]));
}
