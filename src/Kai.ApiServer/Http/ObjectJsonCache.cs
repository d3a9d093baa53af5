using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Http;

/// <summary>
/// Serialises each stored object version once. Stored objects are immutable (every write stores a new instance),
/// so the JSON of an instance never changes: reads, lists and every watcher of a change share the same bytes.
/// Entries live as long as the instance does (a weak table keyed by the object).
/// </summary>
internal sealed class ObjectJsonCache
{
    private readonly ConditionalWeakTable<object, Entry> _entries = [];

    /// <summary>The object as the API returns it on its own and in watch events: with apiVersion and kind.</summary>
    public byte[] Full(IKubernetesObject<V1ObjectMeta> obj)
    {
        var entry = _entries.GetValue(obj, static _ => new Entry());
        return entry.Full ??= KubeJson.Serialize(obj);
    }

    /// <summary>
    /// The object as an item of a list of a built-in kind: the API server omits apiVersion and kind there (the
    /// list carries them); custom resources keep them (<see cref="Full"/>).
    /// </summary>
    public byte[] ListItem(IKubernetesObject<V1ObjectMeta> obj)
    {
        var entry = _entries.GetValue(obj, static _ => new Entry());
        if (entry.Item is null)
        {
            var copy = KubeObjects.ShallowCopy(obj);
            copy.ApiVersion = null!;
            copy.Kind = null!;
            entry.Item = KubeJson.Serialize(copy);
        }

        return entry.Item;
    }

    // Races only cost a duplicate serialisation of the same bytes.
    private sealed class Entry
    {
        public byte[]? Full { get; set; }

        public byte[]? Item { get; set; }
    }
}
