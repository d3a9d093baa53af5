using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    /// <summary>
    /// Seeds objects (from manifests or a saved cluster) atomically: either all are stored or, on the first
    /// problem, none. Unlike <see cref="CreateAsync{T}"/>, what the objects already carry is kept — uid,
    /// creationTimestamp, generation, deletionTimestamp and status — and only what is missing is filled in.
    /// Resource versions are always assigned afresh, in the given order, because the store's counter is the only
    /// source of ordering; each object produces an Added change like a create, and the feeds receive the batch's changes when it is stored.
    /// </summary>
    /// <exception cref="ClusterException">A duplicate name or uid, or an object without name.</exception>
    /// <exception cref="ArgumentException">An object of an unregistered kind.</exception>
    public void Load(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        var batch = objects.Select(o => (Kind: KindOf(o), Object: o)).ToList();
        lock (_lock)
        {
            var names = new HashSet<(KindInfo, ObjectKey)>();
            var uids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (kind, obj) in batch)
            {
                CheckNew(kind, obj, restore: true, names, uids);
            }

            RunBatchLocked(batch.Count, batch, 0, static (cluster, items, _) =>
            {
                foreach (var (kind, obj) in items)
                {
                    cluster.CreateLocked(kind, obj, restore: true);
                }
            });
        }
    }
}
