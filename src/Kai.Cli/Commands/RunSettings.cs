using System.Net;
using Kai.ApiServer.Webhooks;
using Kai.Cluster.Kubernetes;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;
using Kai.Controllers.Hosting;
using Kai.Controllers.ScaleAdjust;
using Kai.Scheduling.Configuration;

namespace Kai.Cli.Commands;

/// <summary>What <c>kai run</c> was asked to do, checked.</summary>
internal sealed record RunSettings
{
    public required KubernetesConnection Connection { get; init; }

    public required IReadOnlyList<Component> Components { get; init; }

    public LeaderElectionOptions? LeaderElection { get; init; }

    /// <summary>From <c>--config</c>; null: read from the cluster's SchedulingShard, else the defaults.</summary>
    public SchedulerConfiguration? Configuration { get; init; }

    public string Shard { get; init; } = "default";

    public string? SchedulerName { get; init; }

    public TimeSpan SchedulePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How evicted pods are removed (<c>--eviction</c>).</summary>
    public EvictionMode Eviction { get; init; } = EvictionMode.Delete;

    public IPAddress MetricsAddress { get; init; } = IPAddress.Any;

    /// <summary>Port of /healthz, /readyz and /metrics; null: not served.</summary>
    public int? MetricsPort { get; init; } = 8080;

    /// <summary>Where to serve KAI's admission webhooks (component admission), or null for none.</summary>
    public WebhookServerOptions? Webhooks { get; init; }

    /// <summary>The node-scale-adjuster's settings (component nodescaleadjuster).</summary>
    public NodeScaleAdjusterOptions ScaleAdjuster { get; init; } = new();

    /// <summary>How the admission webhooks judge pods.</summary>
    public KaiAdmissionOptions Admission { get; init; } = new();
}
