using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedBert.Data;
using TypedBert.Server.Labelling;
using TypedBert.Tests;
using TypedBert.Training.FewShot;

namespace TypedBert.Server.Tests.Support;

/// <summary>
/// A folder with a pool of clear-cut sentiment texts and a data file path for the labelling page, the page's server in this process
/// (its retrain bounded to a head fit on the pre-trained features), and small helpers to label through the API.
/// </summary>
internal sealed class LabellingSetup : IDisposable
{
    public const string Key = "labelling-key-0123456789";

    public static readonly (string Text, string Label)[] Texts =
    [
        ("I loved this film, the acting was wonderful.", "positive"),
        ("A dull, boring waste of two hours.", "negative"),
        ("Absolutely brilliant, I would watch it again.", "positive"),
        ("The plot made no sense and the dialogue was awful.", "negative"),
        ("A delightful, warm and funny story.", "positive"),
        ("Terrible sound, terrible script, terrible ending.", "negative"),
        ("One of the best meals I have ever had.", "positive"),
        ("The food was cold and the waiter was rude.", "negative"),
        ("Great value and friendly staff, highly recommended.", "positive"),
        ("I want my money back, it broke after a day.", "negative"),
        ("What a beautiful and moving performance.", "positive"),
        ("Worst customer service I have ever experienced.", "negative"),
        ("Everything worked perfectly, I am very happy.", "positive"),
        ("It was a disappointing mess from start to finish.", "negative"),
        ("Lovely hotel with a stunning view.", "positive"),
        ("The room was dirty and smelled bad.", "negative"),
        ("A masterpiece, funny and touching.", "positive"),
        ("Slow, clumsy and far too long.", "negative"),
        ("Fantastic support, they fixed it within minutes.", "positive"),
        ("Broken on arrival and nobody answers the phone.", "negative"),
    ];

    readonly TemporaryFolder folder = new();

    public LabellingSetup()
    {
        PoolPath = folder.File("pool.txt");
        File.WriteAllLines(PoolPath, Texts.Select(t => t.Text));
        DataPath = folder.File("train.tsv");
    }

    public string PoolPath { get; }

    public string DataPath { get; }

    public string Folder => folder.Path;

    public TypedBertServerOptions Options(string modelPath, string? apiKey = Key) => new()
    {
        ModelPath = modelPath, Urls = "http://127.0.0.1:0", ApiKey = apiKey, LabelDataPath = DataPath, LabelPoolPath = PoolPath,
    };

    /// <summary>The retrain's budget in tests: no contrastive epoch, only the head fitted on the pre-trained features (seconds).</summary>
    public static RetrainSettings Tiny { get; } = new() { FewShot = new FewShotOptions { BodyEpochs = 0 } };

    /// <summary>The server with the labelling page, in this process.</summary>
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(TypedBertServerOptions options, RetrainSettings? settings = null)
    {
        var builder = TypedBertServer.CreateBuilder(options);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(settings ?? Tiny); // the last registration wins
        var app = builder.Build();
        app.MapTypedBert();
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(TypedBertServer.Addresses(app).Single()), Timeout = TimeSpan.FromMinutes(2) };
        if (options.ApiKey is not null) client.DefaultRequestHeaders.Add("X-API-Key", options.ApiKey);
        return (app, client);
    }

    public static string IdOf(string text) => LabelPool.IdOf(text);

    public static Task<HttpResponseMessage> LabelAsync(HttpClient client, string text, params string[] labels) =>
        client.PostAsJsonAsync("/label", new { id = IdOf(text), labels });

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The data file as the project's reader reads it (throws on a malformed row); empty for a header alone.</summary>
    public List<DataRow> Rows()
    {
        string content = File.ReadAllText(DataPath, Encoding.UTF8);
        Assert.StartsWith("text\tlabel\n", content, StringComparison.Ordinal);
        return content.Split('\n').Skip(1).All(l => l.Length == 0) ? [] : DataFile.Read(DataPath, new DataColumns());
    }

    public void Dispose() => folder.Dispose();
}
