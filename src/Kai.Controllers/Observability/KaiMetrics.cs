namespace Kai.Controllers.Observability;

/// <summary>
/// The scheduler's meter and every instrument's name, unit and description, in one place. Names are KAI's
/// Prometheus names (<c>kai_</c> prefix included) and units are chosen so that OpenTelemetry's Prometheus
/// exporter writes exactly KAI's names: it appends a unit only when the name does not already end with it
/// (<c>ms</c> reads <c>milliseconds</c>, <c>By</c> reads <c>bytes</c>, a unit in braces such as <c>{pod}</c>
/// reads as nothing), and <c>_total</c> to counters unless its <c>DisableTotalNameSuffixForCounters</c> is set
/// (KAI's counters have no such suffix in the text format). See docs/observability.md.
/// </summary>
public static class KaiMetrics
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every instrument belongs to.</summary>
    public const string MeterName = "Kai.Scheduler";

    public const string Milliseconds = "ms";
    public const string Bytes = "By";
    public const string Cores = "cores";
    public const string Gigabytes = "gb";
    public const string Gpus = "gpus";
    public const string Gpu = "gpu";

    // Latencies of the last cycle (gauges, as KAI's).
    public const string E2eSchedulingLatency = "kai_e2e_scheduling_latency_milliseconds";
    public const string OpenSessionLatency = "kai_open_session_latency_milliseconds";
    public const string CloseSessionLatency = "kai_close_session_latency_milliseconds";
    public const string ActionSchedulingLatency = "kai_action_scheduling_latency_milliseconds";
    public const string PluginSchedulingLatency = "kai_plugin_scheduling_latency_milliseconds";

    /// <summary>From a pod's creation to the cycle that binds it (a histogram, buckets 5 ms · 2^0..9).</summary>
    public const string TaskSchedulingLatency = "kai_task_scheduling_latency_milliseconds";

    // Counters.
    public const string PodGroupsScheduledByAction = "kai_podgroups_scheduled_by_action";
    public const string PodGroupsConsideredByAction = "kai_podgroups_acted_on_by_action";
    public const string ScenariosSimulatedByAction = "kai_scenarios_simulation_by_action";
    public const string PreemptionAttempts = "kai_total_preemption_attempts";
    public const string PodGroupEvictedPods = "kai_pod_group_evicted_pods_total";

    // Per queue, after the last cycle (observable gauges): the scheduler's fair share ...
    public const string QueueFairShareCpu = "kai_queue_fair_share_cpu_cores";
    public const string QueueFairShareMemory = "kai_queue_fair_share_memory_gb";
    public const string QueueFairShareGpu = "kai_queue_fair_share_gpu";

    // ... and what KAI's queue-controller publishes: quota and allocation.
    public const string QueueInfo = "kai_queue_info";
    public const string QueueDeservedGpus = "kai_queue_deserved_gpus";
    public const string QueueQuotaCpu = "kai_queue_quota_cpu_cores";
    public const string QueueQuotaMemory = "kai_queue_quota_memory_bytes";
    public const string QueueAllocatedGpus = "kai_queue_allocated_gpus";
    public const string QueueAllocatedCpu = "kai_queue_allocated_cpu_cores";
    public const string QueueAllocatedMemory = "kai_queue_allocated_memory_bytes";

    // Tags (Prometheus labels), as KAI names them.
    public const string ActionTag = "action";
    public const string PluginTag = "plugin";
    public const string OnSessionTag = "OnSession";
    public const string OnSessionOpen = "OnSessionOpen";
    public const string QueueNameTag = "queue_name";
    public const string PodGroupTag = "podgroup";
    public const string NamespaceTag = "namespace";
    public const string UidTag = "uid";
    public const string NodePoolTag = "nodepool";

    /// <summary>KAI's buckets for scheduling latencies: 5 ms doubling ten times (5 … 2560 ms).</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560];
}
