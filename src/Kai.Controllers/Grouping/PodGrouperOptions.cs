using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping;

/// <summary>Settings of the pod-grouper, named after KAI's pod-grouper flags.</summary>
public sealed record PodGrouperOptions
{
    /// <summary>Only pods with this <c>spec.schedulerName</c> are grouped.</summary>
    public string SchedulerName { get; init; } = KaiConventions.SchedulerName;

    /// <summary>The label that names a workload's queue, on its top owner or the pod.</summary>
    public string QueueLabelKey { get; init; } = KaiConventions.QueueLabel;

    /// <summary>The node-pool label copied from pod to pod group (empty: none).</summary>
    public string NodePoolLabelKey { get; init; } = KaiConventions.NodePoolLabel;

    /// <summary>Reuse a Job's pod group named after the Job (<c>pg-&lt;job&gt;-&lt;uid&gt;</c>) when one exists (<c>--search-legacy-pg</c>).</summary>
    public bool SearchForLegacyPodGroups { get; init; } = true;

    /// <summary>One pod group per Knative revision (gang) rather than one per pod (<c>--knative-gang-schedule</c>).</summary>
    public bool KnativeGangSchedule { get; init; } = true;

    /// <summary>
    /// A ConfigMap whose key <c>types</c> holds per-kind defaults, a JSON list of <c>{typeName, group, priorityName,
    /// preemptibility}</c> (<c>--default-priorities-configmap-name</c> and <c>-namespace</c>); null: none.
    /// </summary>
    public string? DefaultsConfigMapName { get; init; }

    public string? DefaultsConfigMapNamespace { get; init; }
}
