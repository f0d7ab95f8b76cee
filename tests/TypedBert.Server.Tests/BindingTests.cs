using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>Where the server listens is decided by its options alone.</summary>
public sealed class BindingTests(SavedModel model) : IClassFixture<SavedModel>
{
    [Fact]
    public async Task Environment_variables_cannot_move_the_server_off_loopback()
    {
        string[] names = ["ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "Kestrel__Endpoints__Http__Url"];
        var previous = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_URLS", "http://0.0.0.0:0");
            Environment.SetEnvironmentVariable("DOTNET_URLS", "http://0.0.0.0:0");
            Environment.SetEnvironmentVariable("ASPNETCORE_HTTP_PORTS", "0");
            Environment.SetEnvironmentVariable("Kestrel__Endpoints__Http__Url", "http://0.0.0.0:0");
            await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0" });
            Assert.Equal("127.0.0.1", new Uri(Assert.Single(TypedBertServer.Addresses(server.App))).Host);
        }
        finally
        {
            foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://192.168.1.20:5000", false)]
    [InlineData("http://*:5000", false)]
    public void Only_loopback_addresses_count_as_private(string address, bool loopback) =>
        Assert.Equal(loopback, TypedBertServer.IsLoopback(address));
}
