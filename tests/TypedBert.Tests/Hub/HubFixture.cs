using TypedBert.Hub;

namespace TypedBert.Tests.Hub;

/// <summary>A fake hub and an empty cache folder for one test.</summary>
internal sealed class HubFixture : IDisposable
{
    public FakeHub Server { get; } = new();

    public TemporaryFolder Cache { get; } = new();

    /// <summary>Options that point at the fake hub and the test's cache, whatever the machine's HF_* variables say.</summary>
    public HubOptions Options => new() { Endpoint = Server.Endpoint, CacheDirectory = Cache.Path, Token = null, Offline = false };

    public int RequestCount => Server.Requests.Count;

    public string RepoFolder(string cacheFolderName) => Path.Combine(Cache.Path, cacheFolderName);

    /// <summary>A model repository whose files are small stand-ins (nothing here parses them).</summary>
    public FakeRevision AddTinyModel(string id, bool withSafetensors = true, bool withPickle = false, bool withConfig = true, int weightBytes = 300_000)
    {
        var main = Server.AddRepo(id).Branch("main");
        if (withConfig) main.Add("config.json", "{\"model_type\": \"bert\"}"u8.ToArray(), lfs: false);
        main.Add("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n"u8.ToArray(), lfs: false);
        var weights = new byte[weightBytes];
        new Random(7).NextBytes(weights);
        if (withSafetensors) main.Add("model.safetensors", weights, lfs: true);
        if (withPickle) main.Add("pytorch_model.bin", weights, lfs: true);
        return main;
    }

    public void Dispose()
    {
        Server.Dispose();
        Cache.Dispose();
    }
}
