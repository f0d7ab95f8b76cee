using TypedBert.Classification;

namespace TypedBert.Server.Tests.Support;

/// <summary>A saved model, a server started on it, and the same model loaded directly for comparisons.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public SavedModel Model { get; } = new();

    internal RunningServer Server { get; private set; } = null!;

    public TextClassifier Direct { get; private set; } = null!;

    public static TypedBertServerOptions Options(string modelPath) => new()
    {
        ModelPath = modelPath,
        Urls = "http://127.0.0.1:0",
        MaxTextsPerRequest = 8,
        MaxCharsPerText = 200,
    };

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync(Options(Model.Path));
        Direct = TextClassifier.Load(Model.Path);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Direct.Dispose();
        Model.Dispose();
    }
}
