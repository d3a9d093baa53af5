using k8s.Models;

namespace Kai.Controllers.Grouping;

/// <summary>
/// What a grouper decides for a pod: the pod group it belongs to and that group's desired shape. The pod-grouper
/// turns it into a PodGroup (<see cref="PodGroupApplier"/>). Groupers start from the default grouper's metadata and
/// change what their kind needs.
/// </summary>
internal sealed class PodGroupMetadata
{
    public required string Name { get; set; }

    public required string Namespace { get; set; }

    /// <summary>The pod group's owner: the top owner, or the pod (Deployment, bare pods) or a Knative revision.</summary>
    public required V1OwnerReference Owner { get; set; }

    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Annotations { get; set; } = new(StringComparer.Ordinal);

    public required string Queue { get; set; }

    public required string PriorityClassName { get; set; }

    /// <summary><c>preemptible</c>, <c>non-preemptible</c> or empty (decided by priority).</summary>
    public string Preemptibility { get; set; } = string.Empty;

    /// <summary>Pods that must run together; ignored when <see cref="MinSubGroup"/> is set (the two are exclusive).</summary>
    public int MinAvailable { get; set; } = 1;

    /// <summary>Direct child subgroups that must be satisfied (JobSet); null: <see cref="MinAvailable"/> applies.</summary>
    public int? MinSubGroup { get; set; }

    public List<SubGroupMetadata> SubGroups { get; set; } = [];

    public string? Topology { get; set; }

    public string? RequiredTopologyLevel { get; set; }

    public string? PreferredTopologyLevel { get; set; }

    /// <summary>A Go duration, as <c>spec.preemptionDelay</c>.</summary>
    public string? PreemptionDelay { get; set; }

    /// <summary>A Go duration, as <c>spec.stalenessGracePeriod</c>.</summary>
    public string? StalenessGracePeriod { get; set; }

    /// <summary>The subgroup whose pod references include <paramref name="podName"/>, if any.</summary>
    public SubGroupMetadata? SubGroupOf(string podName) => SubGroups.Find(s => s.Pods.Contains(podName));
}

/// <summary>A subgroup of a <see cref="PodGroupMetadata"/> and the pods the grouper placed in it.</summary>
internal sealed class SubGroupMetadata
{
    public required string Name { get; init; }

    /// <summary>Pods required; ignored when <see cref="MinSubGroup"/> is set.</summary>
    public int MinAvailable { get; set; }

    public int? MinSubGroup { get; init; }

    public string? Parent { get; init; }

    public TopologyConstraintMetadata? Topology { get; init; }

    /// <summary>Names of pods (of the namespace) assigned to this subgroup: the pod being grouped, when it belongs here.</summary>
    public HashSet<string> Pods { get; } = new(StringComparer.Ordinal);
}

/// <summary>A topology constraint of a subgroup.</summary>
internal sealed record TopologyConstraintMetadata(string Topology, string? RequiredLevel, string? PreferredLevel);
