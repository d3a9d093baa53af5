using Kai.Scheduling.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.Cli.Benchmarks;

/// <summary>The size and pace of a <see cref="ThroughApiBenchmark"/> run.</summary>
internal sealed record ThroughApiSettings(int Nodes, int PendingPods, int Seed, SchedulerConfiguration Configuration, TimeSpan SchedulePeriod, int Clients)
{
    /// <summary>Where the components and the backend log (<c>--log-level</c>, warnings by default).</summary>
    public ILoggerFactory Logging { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Components and clients on the server's HTTP/2 port with prior knowledge (the default), else on its HTTP/1.1 port.</summary>
    public bool Http2 { get; init; } = true;
}
