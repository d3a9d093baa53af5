using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    private const long DefaultPodGracePeriodSeconds = 30;

    private (IKubernetesObject<V1ObjectMeta> Object, bool Removed) DeleteLocked(
        KindInfo kind,
        string? ns,
        string name,
        long? gracePeriodSeconds,
        DeletePreconditions preconditions = default)
    {
        if (gracePeriodSeconds < 0)
        {
            throw ClusterException.Invalid($"{kind.Plural} \"{name}\": gracePeriodSeconds must not be negative");
        }

        var existing = Existing(kind, ns, name, out var store, out var key);
        // The preconditions are compared as given: no metadata object is made for them (a graceful delete per eviction).
        CheckPreconditions(kind, key, preconditions.Uid, preconditions.ResourceVersion, existing.Metadata);
        var result = DeleteExisting(store, key, existing, gracePeriodSeconds);
        CollectGarbage();
        return result;
    }

    /// <summary>
    /// Removes the object now, or marks it terminating: a pod still running on a node waits for its grace period
    /// (the kubelet deletes it again with grace 0) and any object waits for its finalizers.
    /// </summary>
    private (IKubernetesObject<V1ObjectMeta> Object, bool Removed) DeleteExisting(
        KindStore store,
        ObjectKey key,
        IKubernetesObject<V1ObjectMeta> existing,
        long? gracePeriodSeconds)
    {
        var metadata = existing.Metadata;
        var grace = GracePeriod(existing, gracePeriodSeconds);
        if (grace == 0 && metadata.Finalizers is not { Count: > 0 })
        {
            return (Remove(store, key, existing), true);
        }

        // Already terminating: a delete may only shorten the remaining grace period.
        if (metadata.DeletionTimestamp is not null && grace >= (metadata.DeletionGracePeriodSeconds ?? 0))
        {
            return (existing, false);
        }

        var terminating = metadata with
        {
            DeletionTimestamp = Now().AddSeconds(grace),
            DeletionGracePeriodSeconds = grace,
            Generation = metadata.DeletionTimestamp is null ? (metadata.Generation ?? 0) + 1 : metadata.Generation,
        };
        return (Commit(store, key, KubeObjects.ShallowCopy(existing), terminating, ChangeType.Modified), false);
    }

    // Only pods that a kubelet must stop get a grace period; everything else goes at once.
    private static long GracePeriod(IKubernetesObject<V1ObjectMeta> obj, long? requested)
    {
        if (obj is not V1Pod pod
            || string.IsNullOrEmpty(pod.Spec?.NodeName)
            || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return 0;
        }

        return requested ?? pod.Spec.TerminationGracePeriodSeconds ?? DefaultPodGracePeriodSeconds;
    }

    /// <summary>Removes the object (a Deleted change carrying its final state) and queues it for garbage collection.</summary>
    private IKubernetesObject<V1ObjectMeta> Remove(KindStore store, ObjectKey key, IKubernetesObject<V1ObjectMeta> last)
    {
        var metadata = last.Metadata with { };
        var final = Commit(store, key, KubeObjects.ShallowCopy(last), metadata, ChangeType.Deleted);
        _byUid.Remove(metadata.Uid);
        _owners.Remove(metadata.Uid, metadata.OwnerReferences);
        _removedOwners.Enqueue(metadata.Uid);
        if (last is Corev1Event removedEvent)
        {
            ForgetEvent(key, removedEvent);
        }

        return final;
    }

    /// <summary>
    /// Background-propagation garbage collection, run to completion inside the deleting call: every dependent of a
    /// removed owner that has no other live owner is deleted (with its own default grace), level by level.
    /// </summary>
    private void CollectGarbage()
    {
        while (_removedOwners.TryDequeue(out var ownerUid))
        {
            var dependents = _owners.Take(ownerUid);
            if (dependents is null)
            {
                continue;
            }

            foreach (var dependentUid in dependents)
            {
                if (!_byUid.TryGetValue(dependentUid, out var location)
                    || !location.Store.Objects.TryGetValue(location.Key, out var dependent)
                    || HasLiveOwner(dependent))
                {
                    continue;
                }

                DeleteExisting(location.Store, location.Key, dependent, gracePeriodSeconds: null);
            }
        }
    }

    private bool HasLiveOwner(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj.Metadata.OwnerReferences is not { } owners)
        {
            return false;
        }

        foreach (var owner in owners)
        {
            if (!string.IsNullOrEmpty(owner.Uid) && _byUid.ContainsKey(owner.Uid))
            {
                return true;
            }
        }

        return false;
    }
}
