using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TypedBert.Server.Tests.Support;

/// <summary>Keeps every log entry, at every level, with its formatted message and its structured values.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    readonly ConcurrentQueue<CapturedLog> entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public void Dispose()
    {
    }

    sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            entries.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

/// <summary>One log entry.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, string Values, string? Exception)
{
    public bool Contains(string text) =>
        Message.Contains(text, StringComparison.Ordinal) || Values.Contains(text, StringComparison.Ordinal) || (Exception?.Contains(text, StringComparison.Ordinal) ?? false);
}
