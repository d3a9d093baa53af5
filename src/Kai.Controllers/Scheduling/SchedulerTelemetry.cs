using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// Where the scheduler's logs and metrics go: a host's logger factory (the default logs nothing) and meter
/// factory (the default: the scheduler's own <c>Kai.Scheduler</c> meter, which any listener or OpenTelemetry
/// sees by name). Traces need nothing: the engine's activities are always there for a listener.
/// </summary>
public sealed record SchedulerTelemetry
{
    /// <summary>No logs; metrics on the scheduler's own meter.</summary>
    public static SchedulerTelemetry None { get; } = new();

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public IMeterFactory? MeterFactory { get; init; }
}
