using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    private const string PodScheduled = "PodScheduled";

    // restore: seeding through Load keeps uid, timestamps, generation and status as given.
    // handOver: the caller gave obj away (CreateOwnership.HandedOver): it is stored itself instead of a copy.
    private IKubernetesObject<V1ObjectMeta> CreateLocked(KindInfo kind, IKubernetesObject<V1ObjectMeta> obj, bool restore, bool handOver = false)
    {
        if (!restore && _admission is { } admission)
        {
            obj = admission.Admit(this, obj, old: null);
        }

        var source = CheckNew(kind, obj, restore);
        var store = StoreFor(kind);
        var now = Now();
        var isEvent = !restore && kind.ObjectType == typeof(Corev1Event);
        if (isEvent)
        {
            ExpireEventsLocked(store, now);
        }

        var ns = NamespaceFor(kind, source.NamespaceProperty);
        var name = source.Name;
        if (string.IsNullOrEmpty(name))
        {
            do
            {
                name = source.GenerateName + DeterministicIds.NameSuffix(++_nameCounter);
            }
            while (store.Objects.ContainsKey(new ObjectKey(ns, name)));
        }

        var key = new ObjectKey(ns, name);
        var uid = UidFor(source, restore);

        // The same fields are stamped on the caller's metadata when it was handed over, on a private copy otherwise.
        var metadata = handOver ? source : source with { };
        metadata.Name = name;
        metadata.NamespaceProperty = kind.IsNamespaced ? ns : null;
        metadata.Uid = uid;
        metadata.CreationTimestamp = restore ? source.CreationTimestamp ?? now : now;
        metadata.Generation = restore ? source.Generation ?? 1 : 1;
        metadata.DeletionTimestamp = restore ? source.DeletionTimestamp : null;
        metadata.DeletionGracePeriodSeconds = restore ? source.DeletionGracePeriodSeconds : null;

        var body = handOver ? obj : KubeObjects.ShallowCopy(obj);
        if (!restore)
        {
            ResetStatusOnCreate(kind, body);
        }

        var stored = Commit(store, key, body, metadata, ChangeType.Added);
        _byUid.Add(uid, new StoredObject(store, key));
        _owners.Add(uid, metadata.OwnerReferences);
        if (isEvent)
        {
            QueueForExpiryLocked(key, (Corev1Event)stored, now);
        }

        return stored;
    }

    /// <summary>The uid a new object gets: the one it carries when restored, else the next free deterministic one.</summary>
    private string UidFor(V1ObjectMeta source, bool restore)
    {
        if (restore && !string.IsNullOrEmpty(source.Uid))
        {
            return source.Uid;
        }

        string uid;
        do
        {
            uid = DeterministicIds.Uid(++_uidCounter);
        }
        while (_byUid.ContainsKey(uid));
        return uid;
    }

    /// <summary>
    /// The checks a new object passes before it is stored: metadata, a name or generateName, a free name and (when
    /// restoring) a free uid. <see cref="Load"/> runs them for its whole batch before storing anything, passing the
    /// names and uids taken earlier in the batch, so that it stores all or nothing.
    /// </summary>
    /// <returns>The object's metadata.</returns>
    private V1ObjectMeta CheckNew(
        KindInfo kind,
        IKubernetesObject<V1ObjectMeta> obj,
        bool restore,
        HashSet<(KindInfo, ObjectKey)>? batchNames = null,
        HashSet<string>? batchUids = null)
    {
        var metadata = obj.Metadata ?? throw ClusterException.Invalid($"{kind.Plural}: metadata is required");
        if (string.IsNullOrEmpty(metadata.Name))
        {
            if (string.IsNullOrEmpty(metadata.GenerateName))
            {
                throw ClusterException.Invalid($"{kind.Plural}: metadata.name or metadata.generateName is required");
            }
        }
        else
        {
            var key = KeyFor(kind, metadata.NamespaceProperty, metadata.Name);
            if (batchNames?.Add((kind, key)) == false || (_stores.TryGetValue(kind, out var store) && store.Objects.ContainsKey(key)))
            {
                throw ClusterException.AlreadyExists(kind, key.Namespace, key.Name);
            }
        }

        if (restore && !string.IsNullOrEmpty(metadata.Uid) && (batchUids?.Add(metadata.Uid) == false || _byUid.ContainsKey(metadata.Uid)))
        {
            throw ClusterException.Invalid($"{kind.Plural} \"{metadata.Name}\": uid {metadata.Uid} is already in use");
        }

        return metadata;
    }

    // The API server ignores status on create for kinds with a status subresource; pods start Pending. Nodes and
    // namespaces keep theirs: the kubelet registers a node with its capacity in one create.
    private static void ResetStatusOnCreate(KindInfo kind, IKubernetesObject<V1ObjectMeta> body)
    {
        if (!kind.HasStatusSubresource || body is V1Node or V1Namespace)
        {
            return;
        }

        if (body is V1Pod pod)
        {
            pod.Status = new V1PodStatus { Phase = "Pending" };
            return;
        }

        kind.Parts.SetStatus(body, null);
    }

    private IKubernetesObject<V1ObjectMeta> ReplaceLocked(KindInfo kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        var source = obj.Metadata ?? throw ClusterException.Invalid($"{kind.Plural}: metadata is required");
        var existing = Existing(kind, source.NamespaceProperty, source.Name, out var store, out var key);
        var current = existing.Metadata;
        CheckPreconditions(kind, key, source.Uid, source.ResourceVersion, current);
        if (_admission is { } admission && existing.Metadata.DeletionTimestamp is null)
        {
            obj = admission.Admit(this, obj, existing);
            source = obj.Metadata;
        }

        var body = KubeObjects.ShallowCopy(obj);
        if (kind.HasStatusSubresource)
        {
            kind.Parts.SetStatus(body, kind.Parts.GetStatus(existing));
        }

        var metadata = source with
        {
            Name = current.Name,
            NamespaceProperty = current.NamespaceProperty,
            Uid = current.Uid,
            CreationTimestamp = current.CreationTimestamp,
            DeletionTimestamp = current.DeletionTimestamp,
            DeletionGracePeriodSeconds = current.DeletionGracePeriodSeconds,
            Generation = SpecChanged(kind, existing, obj) ? (current.Generation ?? 0) + 1 : current.Generation,
        };

        if (!ReferenceEquals(metadata.OwnerReferences, current.OwnerReferences))
        {
            _owners.Remove(current.Uid, current.OwnerReferences);
            _owners.Add(current.Uid, metadata.OwnerReferences);
        }

        // A terminating object whose last finalizer was just removed (and whose grace has run out) goes away.
        if (metadata.DeletionTimestamp is not null
            && metadata.Finalizers is not { Count: > 0 }
            && (metadata.DeletionGracePeriodSeconds ?? 0) == 0)
        {
            body.Metadata = metadata;
            var removed = Remove(store, key, body);
            CollectGarbage();
            return removed;
        }

        return Commit(store, key, body, metadata, ChangeType.Modified);
    }

    private IKubernetesObject<V1ObjectMeta> ReplaceStatusLocked(KindInfo kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (!kind.HasStatusSubresource)
        {
            throw ClusterException.Invalid($"{kind.Plural} have no status subresource");
        }

        var source = obj.Metadata ?? throw ClusterException.Invalid($"{kind.Plural}: metadata is required");
        var existing = Existing(kind, source.NamespaceProperty, source.Name, out var store, out var key);
        CheckPreconditions(kind, key, source.Uid, source.ResourceVersion, existing.Metadata);

        var body = KubeObjects.ShallowCopy(existing);
        kind.Parts.SetStatus(body, kind.Parts.GetStatus(obj));
        return Commit(store, key, body, existing.Metadata with { }, ChangeType.Modified);
    }

    private V1Pod BindLocked(string ns, string name, string nodeName, IReadOnlyDictionary<string, string>? annotations)
    {
        var kind = _kinds.Get<V1Pod>();
        var pod = (V1Pod)Existing(kind, ns, name, out var store, out var key);
        if (string.IsNullOrEmpty(nodeName))
        {
            throw ClusterException.Invalid($"pods \"{name}\": binding target node name is required");
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            throw ClusterException.Conflict(kind, key.Namespace, name, "pod is being deleted, cannot be assigned to a host");
        }

        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            throw ClusterException.Conflict(kind, key.Namespace, name, $"pod {name} is already assigned to node \"{pod.Spec.NodeName}\"");
        }

        var scheduled = new V1PodCondition { Type = PodScheduled, Status = "True", LastTransitionTime = Now() };
        var conditions = pod.Status?.Conditions is { } existing ? new List<V1PodCondition>(existing) : [];
        var index = conditions.FindIndex(c => c.Type == PodScheduled);
        if (index >= 0)
        {
            conditions[index] = scheduled;
        }
        else
        {
            conditions.Add(scheduled);
        }

        var body = pod with
        {
            Spec = (pod.Spec ?? new V1PodSpec()) with { NodeName = nodeName },
            Status = (pod.Status ?? new V1PodStatus()) with { Conditions = conditions },
        };
        var metadata = pod.Metadata with { };
        if (annotations is { Count: > 0 })
        {
            // As the API server's binding: the Binding's annotations are set on the pod.
            metadata.Annotations = KubeObjects.BindingAnnotations(pod.Metadata.Annotations, annotations);
        }

        return (V1Pod)Commit(store, key, body, metadata, ChangeType.Modified);
    }

    private static void CheckPreconditions(KindInfo kind, ObjectKey key, string? requestedUid, string? requestedResourceVersion, V1ObjectMeta current)
    {
        if (!string.IsNullOrEmpty(requestedResourceVersion) && requestedResourceVersion != current.ResourceVersion)
        {
            throw ClusterException.Conflict(
                kind,
                key.Namespace,
                key.Name,
                "the object has been modified; please apply your changes to the latest version and try again");
        }

        if (!string.IsNullOrEmpty(requestedUid) && requestedUid != current.Uid)
        {
            throw ClusterException.Conflict(
                kind,
                key.Namespace,
                key.Name,
                $"Precondition failed: UID in precondition: {requestedUid}, UID in object meta: {current.Uid}");
        }
    }

    // generation counts spec changes.
    private static bool SpecChanged(KindInfo kind, IKubernetesObject<V1ObjectMeta> before, IKubernetesObject<V1ObjectMeta> after) =>
        kind.Parts.HasSpec && !kind.Parts.SpecEquals(kind.Parts.GetSpec(before), kind.Parts.GetSpec(after));
}
