using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Kai.Cli.Logging;

/// <summary>
/// The command's log, the one logger of the CLI: every line through the console logger's simple formatter (single
/// line, no colours, with scopes) to the command's writer — stderr for simulate, bench and serve, the console of
/// the long-running <c>kai run</c>; a capturing writer in tests — written synchronously, so log lines and the
/// report never interleave out of order.
/// </summary>
internal sealed class CommandLogging : IDisposable
{
    private readonly ServiceProvider? _formatters;
    private readonly LoggerFactory? _factory;

    private CommandLogging(ServiceProvider? formatters, LoggerFactory? factory)
    {
        _formatters = formatters;
        _factory = factory;
    }

    public ILoggerFactory Factory => (ILoggerFactory?)_factory ?? NullLoggerFactory.Instance;

    /// <summary>The provider that writes the lines (kai serve hands it to the API server too); null when nothing is logged.</summary>
    public ILoggerProvider? Provider { get; private init; }

    /// <param name="writer">Where the lines go.</param>
    /// <param name="minimum">The lowest level written; <see cref="LogLevel.None"/> writes nothing.</param>
    /// <param name="timestamps">Starts each line with the local time (for a process that runs for days), as <c>15:04:05 </c>.</param>
    public static CommandLogging Create(TextWriter writer, LogLevel minimum, bool timestamps = false)
    {
        if (minimum == LogLevel.None)
        {
            return new CommandLogging(null, null);
        }

        // The simple formatter is internal to Microsoft.Extensions.Logging.Console; it is obtained the supported
        // way, from the console logging registration, and used with any writer.
        var formatters = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
                o.TimestampFormat = timestamps ? "HH:mm:ss " : null;
            }))
            .BuildServiceProvider();
        var formatter = formatters.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        var provider = new FormatterLoggerProvider(writer, formatter, minimum);
        var factory = new LoggerFactory([provider], new LoggerFilterOptions { MinLevel = minimum });
        return new CommandLogging(formatters, factory) { Provider = provider };
    }

    public void Dispose()
    {
        _factory?.Dispose();
        _formatters?.Dispose();
    }

    /// <summary>Writes lines from <paramref name="minimum"/> up (also when a host's own logger factory uses it).</summary>
    private sealed class FormatterLoggerProvider(TextWriter writer, ConsoleFormatter formatter, LogLevel minimum) : ILoggerProvider, ISupportExternalScope
    {
        private readonly Lock _gate = new();
        private IExternalScopeProvider? _scopes;

        private LogLevel Minimum => minimum;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format)
        {
            using var line = new StringWriter();
            formatter.Write(new LogEntry<TState>(level, category, eventId, state, exception, format), _scopes, line);
            lock (_gate)
            {
                writer.Write(line.ToString());
                writer.Flush();
            }
        }

        private sealed class Logger(FormatterLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.Minimum && logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    provider.Write(category, logLevel, eventId, state, exception, formatter);
                }
            }
        }
    }
}
