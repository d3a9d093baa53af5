using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kai.Controllers.Tests.Observability;

/// <summary>Keeps every log entry with its structured state and the scopes it was written in.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <param name="Category">The logger's category.</param>
    /// <param name="Level">The level.</param>
    /// <param name="EventId">The event id.</param>
    /// <param name="Message">The formatted message.</param>
    /// <param name="State">The structured values of the message.</param>
    /// <param name="Scopes">The structured values of every scope around it, outermost first.</param>
    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Dictionary<string, object?> State, Dictionary<string, object?> Scopes);

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new Dictionary<string, object?>(StringComparer.Ordinal);
            provider._scopes.ForEachScope((scope, values) => AddValues(scope, values), scopes);
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            AddValues(state, values);
            provider.Entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), values, scopes));
        }

        private static void AddValues(object? state, Dictionary<string, object?> values)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    if (key != "{OriginalFormat}")
                    {
                        values[key] = value;
                    }
                }
            }
        }
    }
}
