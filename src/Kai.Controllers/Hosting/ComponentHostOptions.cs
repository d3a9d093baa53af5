using Kai.Controllers.Binding;
using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Hosting;

/// <summary>What a <see cref="ComponentHost"/> runs and how.</summary>
public sealed record ComponentHostOptions
{
    public IReadOnlyList<Component> Components { get; init; } = Hosting.Components.All;

    public SchedulerConfiguration Configuration { get; init; } = SchedulerConfiguration.Default;

    public BinderOptions Binder { get; init; } = BinderOptions.Default;

    /// <summary>How the scheduler removes the pods it evicts (<c>--eviction delete|api</c>).</summary>
    public Cluster.Port.EvictionMode Eviction { get; init; } = Cluster.Port.EvictionMode.Delete;

    /// <summary>Time between the starts of scheduling cycles (KAI's schedule period).</summary>
    public TimeSpan SchedulePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The node-scale-adjuster's settings (component <see cref="Component.NodeScaleAdjuster"/>).</summary>
    public ScaleAdjust.NodeScaleAdjusterOptions ScaleAdjuster { get; init; } = new();

    /// <summary>How often the pod-grouper (and the node-scale-adjuster) look for changes.</summary>
    public TimeSpan GroupPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often the PodGroup and Queue status controllers write what changed. Their figures move with every pod
    /// bound; a second's worth of changes is written as one status per object (always the latest figures), not one
    /// per pod-grouper round — while a cluster fills, that was most of their writes.
    /// </summary>
    public TimeSpan StatusPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Elect a leader per component (<c>--leader-elect</c>); null: every component runs at once.</summary>
    public LeaderElectionOptions? LeaderElection { get; init; }

    /// <summary>The scheduler's name, which names its lease.</summary>
    public string SchedulerName { get; init; } = Conventions.KaiConventions.SchedulerName;

    /// <summary>The shard's partition label value, which names the scheduler's lease (null: the default shard).</summary>
    public string? Partition { get; init; }

    /// <summary>
    /// On stop, how long work in flight (a cycle writing its decisions, binds) may take before it is cancelled.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>After a component fails (the cluster unreachable, say), how long before it starts again.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the scheduler's cycle log and metrics go (kai run: its logger factory; the default logs nothing).</summary>
    public Scheduling.SchedulerTelemetry Telemetry { get; init; } = Scheduling.SchedulerTelemetry.None;
}
