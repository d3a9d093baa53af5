using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Grouping;

namespace Kai.Simulation.Workloads;

/// <summary>What a <see cref="IWorkloadController"/> may read and write while reconciling one owner.</summary>
internal sealed class WorkloadContext(ICluster cluster, WorkloadCache cache, TimeProvider time, CancellationToken cancellationToken)
{
    private const string Component = "workload-controller";

    public ICluster Cluster => cluster;

    public CancellationToken CancellationToken => cancellationToken;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Writes made so far (creates, updates, deletes).</summary>
    public int Writes { get; private set; }

    public KindKey KindOf(IKubernetesObject<V1ObjectMeta> obj) => cache.KindOf(obj);

    /// <summary>The objects <paramref name="owner"/> controls, of type <typeparamref name="T"/>, in name order.</summary>
    public List<T> Children<T>(IKubernetesObject<V1ObjectMeta> owner) =>
        [.. cache.ChildrenOf(owner.Metadata.Uid!).OfType<T>()];

    /// <summary>Generic objects of <paramref name="kind"/> that <paramref name="owner"/> controls.</summary>
    public List<GenericObject> Children(IKubernetesObject<V1ObjectMeta> owner, KindKey kind) =>
        [.. cache.ChildrenOf(owner.Metadata.Uid!).OfType<GenericObject>().Where(o => o.ApiVersion == kind.ApiVersion && o.Kind == kind.Kind)];

    /// <summary>Pods of <paramref name="owner"/> deleted since it was last reconciled, in their final state.</summary>
    public List<V1Pod> DeletedPods(IKubernetesObject<V1ObjectMeta> owner) =>
        [.. cache.TakeDeletedChildren(owner.Metadata.Uid!).OfType<V1Pod>()];

    /// <summary>Asks to be reconciled again at <paramref name="at"/> (a deadline, a schedule, a run time).</summary>
    public void WakeAt(IKubernetesObject<V1ObjectMeta> owner, DateTimeOffset at) => cache.WakeAt(owner.Metadata.Uid!, at);

    /// <summary>
    /// Creates a pod; the cluster admits it as the API server would (KAI's webhooks on the embedded cluster). A rejected pod is reported as a Warning event
    /// <c>FailedCreate</c> on the owner, as Kubernetes' controllers report it.
    /// </summary>
    /// <returns>The stored pod, or null when it was rejected or its name is taken.</returns>
    public async ValueTask<V1Pod?> CreatePodAsync(IKubernetesObject<V1ObjectMeta> owner, V1Pod pod)
    {
        try
        {
            var created = await cluster.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
            Writes++;
            return created;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
        {
            return null; // the old pod of that name is still terminating
        }
        catch (ClusterException e)
        {
            await EventAsync(owner, EventType.Warning, "FailedCreate", $"Error creating: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Creates a child object (a Job, a StatefulSet, a RayCluster...); null when the name is taken.</summary>
    public async ValueTask<T?> CreateAsync<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            var created = await cluster.CreateAsync(obj, cancellationToken).ConfigureAwait(false);
            Writes++;
            return created;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
        {
            return null;
        }
    }

    /// <summary>Replaces an object's spec and metadata (ignoring a conflict: the next reconcile sees the newer version).</summary>
    public async ValueTask ReplaceAsync<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await cluster.ReplaceAsync(obj, cancellationToken).ConfigureAwait(false);
            Writes++;
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Changed or gone meanwhile; the change brings it back here.
        }
    }

    /// <summary>Deletes a child of any kind (gracefully, as a controller deletes); a child already gone is fine.</summary>
    public async ValueTask DeleteAsync(IKubernetesObject<V1ObjectMeta> child)
    {
        var kind = cache.KindOf(child);
        try
        {
            if (child is V1Pod)
            {
                await cluster.DeleteAsync<V1Pod>(child.Metadata.NamespaceProperty, child.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else if (cluster is IUntypedReads untyped)
            {
                await untyped.DeleteAsync(kind, child.Metadata.NamespaceProperty, child.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            Writes++;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            // Already gone.
        }
    }

    /// <summary>Writes a typed object's status when it changed.</summary>
    public async ValueTask WriteStatusAsync<T>(T current, T updated)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (KubernetesJson.Serialize(current) == KubernetesJson.Serialize(updated))
        {
            return;
        }

        try
        {
            await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            Writes++;
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Written again on the next reconcile.
        }
    }

    /// <summary>Writes a generic object's <c>status</c> when it changed.</summary>
    public async ValueTask WriteStatusAsync(GenericObject current, JsonObject status)
    {
        var element = JsonSerializer.SerializeToElement(status);
        if (current.Field("status") is { } existing && JsonElement.DeepEquals(existing, element))
        {
            return;
        }

        var updated = current.WithField("status", element);
        updated.Metadata = current.Metadata with { ResourceVersion = null };
        try
        {
            await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            Writes++;
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Written again on the next reconcile.
        }
    }

    /// <summary>The current status of a generic object as a mutable JSON object (a copy).</summary>
    public static JsonObject StatusOf(GenericObject obj) =>
        obj.Field("status") is { ValueKind: JsonValueKind.Object } status ? JsonObject.Create(status)!.DeepClone().AsObject() : [];

    public async ValueTask EventAsync(IKubernetesObject<V1ObjectMeta> about, EventType type, string reason, string message) =>
        await cluster.RecordEventAsync(Component, about, type, reason, message, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads an object of another kind by key (e.g. a Revision), or null.</summary>
    public ValueTask<IKubernetesObject<V1ObjectMeta>?> GetAsync(KindKey kind, string? ns, string name) =>
        cluster.GetAsync(kind, ns, name, cancellationToken);
}
