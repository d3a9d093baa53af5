using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Status;

/// <summary>
/// KAI's podgroup-controller, on any <see cref="ICluster"/>: keeps every PodGroup's <c>status.resourcesStatus</c> —
/// <c>requested</c> and <c>allocated</c> summed over the pods that name it (annotation <c>pod-group-name</c>; see
/// <see cref="PodGroupResources"/>), and <c>allocatedNonPreemptible</c> set to <c>allocated</c> for a non-preemptible
/// group (explicit preemptibility, else its PriorityClass's value, else the global default class's, else 50, is 100
/// or more) and left as it is for a preemptible one. Like KAI it writes nothing else — no phase, conditions or pod
/// counts — and writes only when the figures change.
/// </summary>
/// <remarks>Incremental: a change of a pod, a PodGroup or a PriorityClass marks the groups it affects.</remarks>
public sealed class PodGroupStatusController : IDisposable
{
    private const int DefaultPriority = 50;

    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;
    private readonly Dictionary<(string Namespace, string Name), PodGroup> _groups = [];
    private readonly Dictionary<(string Namespace, string Name), Dictionary<string, V1Pod>> _pods = [];
    private readonly Dictionary<string, (string Namespace, string Name)> _groupOfPod = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1PriorityClass> _priorityClasses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?> _nodeGpuMemory = new(StringComparer.Ordinal);
    private readonly SortedSet<(string Namespace, string Name)> _dirty = [];

    private PodGroupStatusController(ICluster cluster, IChangeFeed feed)
    {
        _cluster = cluster;
        _feed = feed;
    }

    public static async ValueTask<PodGroupStatusController> CreateAsync(ICluster cluster, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(
            ChangeFeedOptions.For(KindKey.Of<V1Pod>(), KindKey.Of<PodGroup>(), KindKey.Of<V1PriorityClass>(), KindKey.Of<V1Node>()),
            cancellationToken).ConfigureAwait(false);
        return new PodGroupStatusController(cluster, feed);
    }

    /// <summary>Brings the status of every PodGroup affected by changes since the last call up to date.</summary>
    /// <returns>How many PodGroup statuses were written.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        Drain();
        var written = 0;
        var retry = new List<(string, string)>();
        foreach (var key in _dirty.ToList())
        {
            _dirty.Remove(key);
            if (!_groups.TryGetValue(key, out var group))
            {
                continue;
            }

            try
            {
                written += await UpdateAsync(group, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict)
            {
                retry.Add(key); // changed meanwhile: its change arrives on the feed
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
            {
                // Deleted meanwhile.
            }
        }

        _dirty.UnionWith(retry);
        return written;
    }

    public void Dispose() => _feed.Dispose();

    /// <summary>The resources status KAI's podgroup-controller gives <paramref name="group"/>, from its pods.</summary>
    internal PodGroupResourcesStatus Compute(PodGroup group)
    {
        var requested = new ResourceTotals();
        var allocated = new ResourceTotals();
        var key = KeyOf(group);
        IEnumerable<V1Pod> members = _pods.TryGetValue(key, out var pods) ? pods.Values : [];
        foreach (var pod in members.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (PodGroupResources.IsRequesting(pod))
            {
                PodGroupResources.AddRequested(requested, pod);
            }

            if (PodGroupResources.IsAllocated(pod))
            {
                var node = pod.Spec?.NodeName;
                PodGroupResources.AddAllocated(allocated, pod, node is null ? null : _nodeGpuMemory.GetValueOrDefault(node));
            }
        }

        var current = group.Status?.ResourcesStatus;
        var allocatedList = allocated.ToResourceList();
        return new PodGroupResourcesStatus
        {
            Requested = requested.ToResourceList(),
            Allocated = allocatedList,
            AllocatedNonPreemptible = IsPreemptible(group) ? current?.AllocatedNonPreemptible : allocatedList,
        };
    }

    private async ValueTask<bool> UpdateAsync(PodGroup group, CancellationToken cancellationToken)
    {
        var desired = Compute(group);
        var current = group.Status?.ResourcesStatus;
        if (current is not null
            && ResourceTotals.SameAmounts(current.Requested, desired.Requested)
            && ResourceTotals.SameAmounts(current.Allocated, desired.Allocated)
            && ResourceTotals.SameAmounts(current.AllocatedNonPreemptible, desired.AllocatedNonPreemptible))
        {
            return false;
        }

        var updated = KubeObjects.ShallowCopy(group);
        updated.Status = group.Status is null ? new PodGroupStatus() : KubeObjects.ShallowCopy(group.Status);
        updated.Status.ResourcesStatus = desired;
        await _cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private bool IsPreemptible(PodGroup group)
    {
        switch (group.Spec?.Preemptibility)
        {
            case PodGroupPreemptibility.Preemptible:
                return true;
            case PodGroupPreemptibility.NonPreemptible:
                return false;
        }

        var priority = group.Spec?.PriorityClassName is { Length: > 0 } name && _priorityClasses.TryGetValue(name, out var named)
            ? named.Value
            : _priorityClasses.Values.Where(c => c.GlobalDefault == true).Select(c => (int?)c.Value).Min() ?? DefaultPriority;
        return priority < Kai.Scheduling.Model.PodGroup.NonPreemptiblePriority;
    }

    private void Drain()
    {
        while (_feed.Changes.TryRead(out var change))
        {
            switch (change.Object)
            {
                case V1Pod pod:
                    ApplyPod(pod, change.Type == ChangeType.Deleted);
                    break;
                case PodGroup group:
                    var key = KeyOf(group);
                    if (change.Type == ChangeType.Deleted)
                    {
                        _groups.Remove(key);
                    }
                    else
                    {
                        _groups[key] = group;
                        _dirty.Add(key);
                    }

                    break;
                case V1PriorityClass priorityClass:
                    if (change.Type == ChangeType.Deleted)
                    {
                        _priorityClasses.Remove(priorityClass.Metadata.Name);
                    }
                    else
                    {
                        _priorityClasses[priorityClass.Metadata.Name] = priorityClass;
                    }

                    _dirty.UnionWith(_groups.Keys);
                    break;
                case V1Node node:
                    _nodeGpuMemory[node.Metadata.Name] = change.Type == ChangeType.Deleted ? null
                        : node.Metadata.Labels?.TryGetValue(KaiConventions.NodeGpuMemoryLabel, out var text) == true
                          && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mib) ? mib : null;
                    break;
            }
        }
    }

    private void ApplyPod(V1Pod pod, bool deleted)
    {
        var uid = pod.Metadata.Uid;
        if (uid is null)
        {
            return;
        }

        if (_groupOfPod.Remove(uid, out var previous) && _pods.TryGetValue(previous, out var before))
        {
            before.Remove(uid);
            _dirty.Add(previous);
        }

        if (deleted || pod.Metadata.Annotations?.TryGetValue(KaiConventions.PodGroupAnnotation, out var group) != true || string.IsNullOrEmpty(group))
        {
            return;
        }

        var key = (pod.Metadata.NamespaceProperty ?? "default", group);
        if (!_pods.TryGetValue(key, out var members))
        {
            _pods[key] = members = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        }

        members[uid] = pod;
        _groupOfPod[uid] = key;
        _dirty.Add(key);
    }

    private static (string Namespace, string Name) KeyOf(PodGroup group) => (group.Metadata.NamespaceProperty ?? "default", group.Metadata.Name);
}
