using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// The cluster port: how scheduler components read and write Kubernetes objects, on a real API server or on
/// the embedded cluster. Shaped after the Kubernetes REST API so either backend implements it faithfully.
/// </summary>
/// <remarks>
/// <para><b>Kinds.</b> Every object type used here must be registered in <see cref="Kinds"/>;
/// an unregistered type is a programming error (<see cref="ArgumentException"/>).</para>
/// <para><b>Ownership.</b> Objects returned by reads, writes and change feeds are shared with the backend's
/// cache and other readers: never mutate them. To change an object, build a modified copy (a record
/// <c>with</c> expression, <see cref="KubeObjects.WithMetadata{T}(T, V1ObjectMeta)"/> or
/// <see cref="KubeObjects.Clone{T}(T)"/>) and replace. An object passed to a write must not be mutated
/// afterwards either; its spec and status may be shared with the stored object.</para>
/// <para><b>Errors.</b> Expected outcomes (not found, already exists, conflict, invalid, expired) fail the
/// returned task with <see cref="ClusterException"/>; anything else is a bug.</para>
/// <para><b>Threading.</b> All members are safe to call concurrently.</para>
/// </remarks>
public interface ICluster
{
    KindRegistry Kinds { get; }

    /// <summary>All objects of a kind across namespaces, with the resource version the list is consistent with.</summary>
    ValueTask<ClusterList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// One object, or null when it does not exist. <paramref name="ns"/> is ignored for cluster-scoped kinds;
    /// null or empty means "default" for namespaced kinds.
    /// </summary>
    ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Creates an object. The backend sets uid, resourceVersion, creationTimestamp, generation and, from
    /// <c>generateName</c>, the name; a namespaced object without namespace goes to "default".
    /// </summary>
    /// <returns>The stored object.</returns>
    /// <exception cref="ClusterException"><see cref="ClusterErrorReason.AlreadyExists"/> or <see cref="ClusterErrorReason.Invalid"/>.</exception>
    ValueTask<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Creates every object as <see cref="CreateAsync{T}"/> would one after another, in order, and tells what became
    /// of each (one refusal does not stop the others). The default writes them through <see cref="CreateAsync{T}"/>, a
    /// few at a time (<see cref="ConcurrentWrites"/>); a backend that can store a batch at once overrides it.
    /// </summary>
    /// <param name="objects">The objects to create.</param>
    /// <param name="cancellationToken">Stops the writes not yet made.</param>
    /// <returns>One outcome per object, in the objects' order.</returns>
    ValueTask<IReadOnlyList<CreateOutcome<T>>> CreateManyAsync<T>(IReadOnlyList<T> objects, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        ConcurrentWrites.CreateEachAsync(this, objects, cancellationToken);

    /// <summary>
    /// <see cref="CreateManyAsync{T}(IReadOnlyList{T}, CancellationToken)"/>, saying whether the caller hands its objects
    /// over (<see cref="CreateOwnership.HandedOver"/>): a backend that keeps objects in memory may then store them instead
    /// of copies (the embedded cluster does: two objects fewer per created object). The default ignores it.
    /// </summary>
    /// <param name="objects">The objects to create.</param>
    /// <param name="ownership">Whether the caller keeps the objects or hands them over.</param>
    /// <param name="cancellationToken">Stops the writes not yet made.</param>
    /// <returns>One outcome per object, in the objects' order.</returns>
    ValueTask<IReadOnlyList<CreateOutcome<T>>> CreateManyAsync<T>(IReadOnlyList<T> objects, CreateOwnership ownership, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        CreateManyAsync(objects, cancellationToken);

    /// <summary>
    /// Replaces an object's metadata and spec (PUT). A non-empty <c>metadata.resourceVersion</c> must equal the
    /// stored one (optimistic concurrency); empty means unconditional. For kinds with a status subresource the
    /// stored status is kept. Server-owned metadata (uid, creation and deletion timestamps) is kept.
    /// </summary>
    /// <exception cref="ClusterException"><see cref="ClusterErrorReason.NotFound"/> or <see cref="ClusterErrorReason.Conflict"/>.</exception>
    ValueTask<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Replaces only <c>.status</c> (PUT on the status subresource); spec and metadata changes are ignored.
    /// Same resource-version rule as <see cref="ReplaceAsync{T}"/>.
    /// </summary>
    /// <exception cref="ClusterException">
    /// <see cref="ClusterErrorReason.NotFound"/>, <see cref="ClusterErrorReason.Conflict"/>, or
    /// <see cref="ClusterErrorReason.Invalid"/> for a kind without status subresource.
    /// </exception>
    ValueTask<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Deletes an object. A pod assigned to a node and not finished terminates gracefully: it gets
    /// <c>deletionTimestamp</c> and stays until deleted again with grace 0 (by the kubelet). Objects with
    /// finalizers stay until their finalizers are removed. Dependents (objects whose ownerReferences name the
    /// removed object's uid and no other live owner) are deleted when the owner is removed.
    /// </summary>
    /// <param name="ns">Namespace; ignored for cluster-scoped kinds, "default" when null.</param>
    /// <param name="name">Object name.</param>
    /// <param name="gracePeriodSeconds">Pods only; null uses <c>spec.terminationGracePeriodSeconds</c>, then 30.</param>
    /// <param name="cancellationToken">Cancels before the delete is applied.</param>
    /// <exception cref="ClusterException"><see cref="ClusterErrorReason.NotFound"/>.</exception>
    ValueTask<DeleteResult<T>> DeleteAsync<T>(
        string? ns,
        string name,
        long? gracePeriodSeconds = null,
        CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Binds a pending pod to a node (POST <c>pods/{name}/binding</c>): sets <c>spec.nodeName</c> and the
    /// <c>PodScheduled=True</c> condition, and adds <paramref name="annotations"/> to the pod's (the API server copies
    /// a Binding's annotations onto the pod), so a binder that annotates the pod needs no second write. The only way
    /// to set a pod's node on a real cluster.
    /// </summary>
    /// <exception cref="ClusterException">
    /// <see cref="ClusterErrorReason.NotFound"/>, or <see cref="ClusterErrorReason.Conflict"/> when the pod is
    /// already bound or terminating.
    /// </exception>
    ValueTask<V1Pod> BindPodAsync(string ns, string name, string nodeName, IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Evicts a pod through the Eviction API (POST <c>pods/{name}/eviction</c>): the pod is deleted (gracefully, as
    /// <see cref="DeleteAsync{T}"/>) unless the PodDisruptionBudget selecting it allows no disruption now. A pod that
    /// is not running (or already terminating) is deleted without looking at budgets.
    /// </summary>
    /// <exception cref="ClusterException">
    /// <see cref="ClusterErrorReason.TooManyRequests"/> when a disruption budget forbids it now (retry later),
    /// <see cref="ClusterErrorReason.NotFound"/>, or <see cref="ClusterErrorReason.InternalError"/> when more than one
    /// budget selects the pod.
    /// </exception>
    ValueTask<DeleteResult<V1Pod>> EvictPodAsync(string ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default);

    /// <summary>Opens a change feed (see <see cref="IChangeFeed"/> and <see cref="ChangeFeedOptions"/>).</summary>
    /// <exception cref="ClusterException">
    /// <see cref="ClusterErrorReason.Expired"/> when the requested resource version is no longer retained,
    /// <see cref="ClusterErrorReason.Invalid"/> when it is malformed or in the future.
    /// </exception>
    ValueTask<IChangeFeed> SubscribeAsync(ChangeFeedOptions options, CancellationToken cancellationToken = default);

    /// <summary>Records an event (or bumps the count of an identical one) and returns the stored event.</summary>
    ValueTask<Corev1Event> RecordEventAsync(EventRecord record, CancellationToken cancellationToken = default);
}
