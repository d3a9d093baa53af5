using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Controllers.Grouping;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Decisions;

namespace Kai.Simulation.Workloads;

/// <summary>
/// Plays the workload controllers' part for evicted pods on the embedded cluster. A pod evicted by the scheduler
/// that belongs to a workload — it names a pod group that is not the one the pod-grouper made for it alone — is
/// created again once its old copy has terminated, as a Job, a training operator or a ReplicaSet would recreate
/// it: same name and namespace, a new uid, Pending and unbound, the same spec, labels, annotations and owners
/// without what scheduling left on the old copy (<see cref="SchedulingLeftovers"/>). When the cycle that evicted
/// it also pipelined it to a node (consolidation moving it, a victim search re-placing it), the new pod's
/// <c>status.nominatedNodeName</c> names that node, which KAI's nominated-node scoring prefers. A bare pod has no
/// controller and stays gone. Pods whose owner has an embedded controller (<see cref="WorkloadControllers"/>: a Job,
/// a ReplicaSet, a PyTorchJob...) are left to it: it recreates them as the real operator does, so the resubmitter
/// plays only the operators the simulation does not run (owners of other kinds, or pods that name a pod group and
/// have no owner the cluster knows).
/// </summary>
/// <remarks>
/// Driven by the simulation: <see cref="ObserveAsync"/> after each scheduling cycle with its outcome,
/// <see cref="RunOnceAsync"/> after the kubelet between cycles. The pod feed is read only to keep the last state
/// of pods deleted without grace, which are gone before <see cref="ObserveAsync"/> could read them.
/// </remarks>
public sealed class PodResubmitter : IDisposable
{
    /// <summary>Labels and annotations the scheduler and binder put on a pod, which its controller's template does not have.</summary>
    public static readonly IReadOnlySet<string> SchedulingLeftovers = new HashSet<string>(StringComparer.Ordinal)
    {
        "runai-gpu-group",
        "received-resource-type",
        KaiConventions.SelectedNodeLabel,
    };

    private const string MultiGpuGroupLabelPrefix = "runai-gpu-group/";

    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;
    private readonly Func<V1OwnerReference, bool> _hasEmbeddedController;
    private readonly List<Resubmission> _waiting = [];
    private readonly HashSet<string> _waitingUids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _deletedSinceLastCycle = new(StringComparer.Ordinal);

    private PodResubmitter(ICluster cluster, IChangeFeed feed, Func<V1OwnerReference, bool> hasEmbeddedController)
    {
        _cluster = cluster;
        _feed = feed;
        _hasEmbeddedController = hasEmbeddedController;
    }

    /// <summary>Evicted pods waiting for their old copy to terminate.</summary>
    public int Waiting => _waiting.Count;

    /// <param name="cluster">The embedded cluster.</param>
    /// <param name="hasEmbeddedController">Whether a controller owner of this kind recreates its pods itself (null: none does).</param>
    /// <param name="cancellationToken">Cancels subscribing.</param>
    public static async ValueTask<PodResubmitter> CreateAsync(ICluster cluster, Func<V1OwnerReference, bool>? hasEmbeddedController = null, CancellationToken cancellationToken = default)
    {
        var pods = await cluster.ListAsync<V1Pod>(cancellationToken).ConfigureAwait(false);
        var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { Kinds = [KindKey.Of<V1Pod>()], ResourceVersion = pods.ResourceVersion }, cancellationToken).ConfigureAwait(false);
        return new PodResubmitter(cluster, feed, hasEmbeddedController ?? (_ => false));
    }

    /// <summary>Remembers the pods <paramref name="outcome"/> evicted that a controller would recreate, with the node each was pipelined to.</summary>
    /// <returns>How many were remembered.</returns>
    public async ValueTask<int> ObserveAsync(CycleOutcome outcome, CancellationToken cancellationToken = default)
    {
        DrainFeed();
        var pipelinedTo = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var decision in outcome.Result.Decisions.Where(d => d.Kind == DecisionKind.Pipeline))
        {
            pipelinedTo[decision.PodUid] = decision.Node?.Value;
        }

        var remembered = 0;
        foreach (var eviction in outcome.Result.Decisions.Where(d => d.Kind == DecisionKind.Evict))
        {
            // Terminating (still readable), or deleted without grace during the cycle (its last state from the feed).
            var live = await _cluster.GetAsync<V1Pod>(eviction.Pod.Namespace, eviction.Pod.Name, cancellationToken).ConfigureAwait(false);
            var pod = live?.Metadata.Uid == eviction.PodUid ? live : _deletedSinceLastCycle.GetValueOrDefault(eviction.PodUid);
            if (pod is null
                || _waitingUids.Contains(eviction.PodUid)
                || !await BelongsToWorkloadAsync(pod, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            _waiting.Add(new Resubmission(pod, pipelinedTo.GetValueOrDefault(eviction.PodUid)));
            _waitingUids.Add(eviction.PodUid);
            remembered++;
        }

        _deletedSinceLastCycle.Clear();
        return remembered;
    }

    /// <summary>Creates again every remembered pod whose old copy is gone.</summary>
    /// <returns>How many pods were created.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var created = 0;
        var stillWaiting = new List<Resubmission>(_waiting.Count);
        foreach (var resubmission in _waiting)
        {
            var old = resubmission.Evicted.Metadata;
            var current = await _cluster.GetAsync<V1Pod>(old.NamespaceProperty, old.Name, cancellationToken).ConfigureAwait(false);
            if (current?.Metadata.Uid == old.Uid)
            {
                stillWaiting.Add(resubmission); // still terminating
                continue;
            }

            _waitingUids.Remove(old.Uid);

            // A pod of that name created meanwhile (by someone else) stands in for this one.
            if (current is null && await CreateAsync(resubmission, cancellationToken).ConfigureAwait(false))
            {
                created++;
            }
        }

        _waiting.Clear();
        _waiting.AddRange(stillWaiting);
        return created;
    }

    public void Dispose() => _feed.Dispose();

    /// <summary>The new pod: the evicted one as its controller's template would make it again.</summary>
    public static V1Pod Recreated(V1Pod evicted)
    {
        var metadata = evicted.Metadata;
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = metadata.Name,
                NamespaceProperty = metadata.NamespaceProperty,
                Labels = WithoutLeftovers(metadata.Labels),
                Annotations = WithoutLeftovers(metadata.Annotations),
                OwnerReferences = metadata.OwnerReferences,
            },
            Spec = evicted.Spec is null ? null : evicted.Spec with { NodeName = null },
            Status = new V1PodStatus { Phase = "Pending" },
        };
    }

    private async ValueTask<bool> CreateAsync(Resubmission resubmission, CancellationToken cancellationToken)
    {
        V1Pod created;
        try
        {
            created = await _cluster.CreateAsync(Recreated(resubmission.Evicted), cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
        {
            return false;
        }

        if (resubmission.PipelinedTo is { } node)
        {
            // Like the API server, create ignores status: the nominated node is a status write of its own.
            var status = (created.Status ?? new V1PodStatus { Phase = "Pending" }) with { NominatedNodeName = node };
            try
            {
                await _cluster.ReplaceStatusAsync(created with { Status = status }, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
            {
                // Changed or gone meanwhile; the pod is still there to be scheduled.
            }
        }

        return true;
    }

    /// <summary>
    /// A workload's pod: it names a pod group, and that group is not the pod-grouper's group for this pod alone
    /// (owned by the pod, named after it), which is what a bare pod gets.
    /// </summary>
    private async ValueTask<bool> BelongsToWorkloadAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        if (pod.Metadata.Annotations?.TryGetValue(KaiConventions.PodGroupAnnotation, out var groupName) != true || string.IsNullOrEmpty(groupName))
        {
            return false;
        }

        var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (controller is not null)
        {
            // An embedded controller recreates the pods of owners that exist; a pod whose owner is missing is ours.
            return !_hasEmbeddedController(controller)
                || await _cluster.GetAsync(new KindKey(controller.ApiVersion, controller.Kind), pod.Metadata.NamespaceProperty, controller.Name, cancellationToken).ConfigureAwait(false) is not { } owner
                || owner.Metadata.Uid != controller.Uid;
        }

        var group = await _cluster.GetAsync<PodGroup>(pod.Metadata.NamespaceProperty, groupName, cancellationToken).ConfigureAwait(false);
        var ownedByThePod = group is null
            ? groupName == PodGrouper.GroupNameFor(pod)
            : group.Metadata.OwnerReferences?.Any(o => o.Uid == pod.Metadata.Uid) == true;
        return !ownedByThePod;
    }

    private void DrainFeed()
    {
        while (_feed.Changes.TryRead(out var change))
        {
            if (change.Type == ChangeType.Deleted && change.Object is V1Pod pod && pod.Metadata.Uid is { } uid)
            {
                _deletedSinceLastCycle[uid] = pod;
            }
        }
    }

    private static Dictionary<string, string>? WithoutLeftovers(IDictionary<string, string>? entries)
    {
        if (entries is null)
        {
            return null;
        }

        return entries
            .Where(e => !SchedulingLeftovers.Contains(e.Key) && !e.Key.StartsWith(MultiGpuGroupLabelPrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    /// <param name="PipelinedTo">The node the evicting cycle pipelined the pod to, if it did.</param>
    private sealed record Resubmission(V1Pod Evicted, string? PipelinedTo);
}
