using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TypedBert.Server.Tests.Support;

/// <summary>One browser tab over the Chrome DevTools Protocol: commands with their answers; events are ignored.</summary>
internal sealed class DevToolsPage : IAsyncDisposable
{
    static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);

    readonly ClientWebSocket socket;
    readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    readonly CancellationTokenSource stop = new();
    readonly SemaphoreSlim sending = new(1, 1);
    readonly Task receiving;
    int nextId;

    DevToolsPage(ClientWebSocket socket)
    {
        this.socket = socket;
        receiving = Task.Run(ReceiveAsync);
    }

    public static async Task<DevToolsPage> ConnectAsync(Uri address)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(address, CancellationToken.None);
        return new DevToolsPage(socket);
    }

    /// <summary>Sends a command and returns its <c>result</c>; a protocol error becomes an exception with its message.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await sending.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            sending.Release();
        }
        var reply = await answer.Task.WaitAsync(CommandLimit);
        if (reply.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method}: {error}");
        return reply.GetProperty("result");
    }

    /// <summary>Runs JavaScript in the page and returns its value (promises awaited); a thrown exception fails the test with its text.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true,
        });
        if (result.TryGetProperty("exceptionDetails", out var exception)) throw new InvalidOperationException($"{expression}: {exception}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Evaluates <paramref name="condition"/> until it is true; the timeout message says which condition was awaited.</summary>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? lastError = null;
        while (true)
        {
            try
            {
                if ((await EvaluateAsync($"!!({condition})")).ValueKind == JsonValueKind.True) return;
            }
            catch (InvalidOperationException e)
            {
                // Until the page has loaded, its elements are missing and the condition throws; that counts as not yet.
                lastError = e.Message;
            }
            if (clock.Elapsed > timeout) throw new TimeoutException($"after {timeout.TotalSeconds:0} s the page still fails: {condition} {lastError}");
            await Task.Delay(100);
        }
    }

    /// <summary>Clicks the middle of the element that <paramref name="selector"/> finds, as a mouse would (press and release).</summary>
    public async Task ClickAsync(string selector)
    {
        var box = await EvaluateAsync($$"""(() => { const r = document.querySelector({{JsonSerializer.Serialize(selector)}}).getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()""");
        double x = box.GetProperty("x").GetDouble(), y = box.GetProperty("y").GetDouble();
        foreach (string type in new[] { "mousePressed", "mouseReleased" })
            await SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = type, ["x"] = x, ["y"] = y, ["button"] = "left", ["clickCount"] = 1 });
    }

    /// <summary>Focuses the element and types <paramref name="text"/> into it as keyboard input (input events fire as for a user).</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await ClickAsync(selector);
        await SendAsync("Input.insertText", new JsonObject { ["text"] = text });
    }

    /// <summary>A PNG of the whole page, as wide as the window and as tall as the content (the window's height does not cut it).</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var size = await EvaluateAsync("({ width: document.documentElement.clientWidth, height: document.documentElement.scrollHeight })");
        var clip = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = size.GetProperty("width").GetDouble(), ["height"] = size.GetProperty("height").GetDouble(), ["scale"] = 1 };
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true, ["clip"] = clip });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var part = await socket.ReceiveAsync(buffer, stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                using (var document = JsonDocument.Parse(message.ToArray()))
                {
                    if (document.RootElement.TryGetProperty("id", out var id) && pending.TryRemove(id.GetInt32(), out var answer))
                        answer.TrySetResult(document.RootElement.Clone());
                }
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed by DisposeAsync or by the browser going away; waiting commands fail below.
        }
        foreach (var answer in pending.Values) answer.TrySetException(new InvalidOperationException("the DevTools connection closed"));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await receiving;
        }
        finally
        {
            socket.Dispose();
            stop.Dispose();
            sending.Dispose();
        }
    }
}
