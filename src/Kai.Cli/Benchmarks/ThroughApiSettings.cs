using Kai.Scheduling.Configuration;

namespace Kai.Cli.Benchmarks;

/// <summary>The size and pace of a <see cref="ThroughApiBenchmark"/> run.</summary>
internal sealed record ThroughApiSettings(int Nodes, int PendingPods, int Seed, SchedulerConfiguration Configuration, TimeSpan SchedulePeriod, int Clients);
