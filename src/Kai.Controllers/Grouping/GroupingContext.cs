using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;
using Kai.Controllers.Grouping.Groupers;

namespace Kai.Controllers.Grouping;

/// <summary>Everything a grouper may read while grouping one pod. Groupers read the cluster; they never write.</summary>
internal sealed class GroupingContext
{
    public required V1Pod Pod { get; init; }

    public required ICluster Cluster { get; init; }

    public required PodGrouperOptions Options { get; init; }

    /// <summary>The hub, for groupers that hand a pod to another kind's grouper (skip-top-owner).</summary>
    public required GrouperHub Hub { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public DefaultGrouper Default => Hub.Default;

    public string PodName => Pod.Metadata.Name;

    public string? PodNamespace => Pod.Metadata.NamespaceProperty;

    public IDictionary<string, string> PodLabels => Pod.Metadata.Labels ?? Empty;

    public IDictionary<string, string> PodAnnotations => Pod.Metadata.Annotations ?? Empty;

    /// <summary>A view of the pod itself (the top owner of a pod without owners).</summary>
    public ObjectView PodView => field ??= ObjectView.Of(Pod, Cluster.Kinds);

    private static readonly IDictionary<string, string> Empty = new Dictionary<string, string>(0);
}

/// <summary>
/// Decides the pod group of a pod whose top owner is of one kind (KAI's pod-grouper plugin). Given the top owner and
/// the owners between it and the pod (nearest first; empty for a pod without owners).
/// </summary>
/// <remarks>A grouper reads the cluster only; it throws <see cref="GroupingException"/> when the workload cannot be grouped.</remarks>
internal interface IGrouper
{
    /// <summary>A name for messages, e.g. "PyTorchJob Grouper".</summary>
    string Name { get; }

    ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context);
}
