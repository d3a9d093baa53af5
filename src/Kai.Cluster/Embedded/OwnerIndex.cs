using k8s.Models;

namespace Kai.Cluster.Embedded;

/// <summary>
/// Owner uid → uids of the objects whose ownerReferences name it, so that removing an owner finds its
/// dependents without scanning the store. Updates cost O(owner references of the written object).
/// </summary>
internal sealed class OwnerIndex
{
    private readonly Dictionary<string, HashSet<string>> _dependents = new(StringComparer.Ordinal);

    public void Add(string dependentUid, IList<V1OwnerReference>? owners)
    {
        if (owners is null)
        {
            return;
        }

        foreach (var owner in owners)
        {
            if (string.IsNullOrEmpty(owner.Uid))
            {
                continue;
            }

            if (!_dependents.TryGetValue(owner.Uid, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _dependents.Add(owner.Uid, set);
            }

            set.Add(dependentUid);
        }
    }

    public void Remove(string dependentUid, IList<V1OwnerReference>? owners)
    {
        if (owners is null)
        {
            return;
        }

        foreach (var owner in owners)
        {
            if (!string.IsNullOrEmpty(owner.Uid) && _dependents.TryGetValue(owner.Uid, out var set))
            {
                set.Remove(dependentUid);
                if (set.Count == 0)
                {
                    _dependents.Remove(owner.Uid);
                }
            }
        }
    }

    /// <summary>Removes and returns the dependents of <paramref name="ownerUid"/>.</summary>
    public HashSet<string>? Take(string ownerUid) =>
        _dependents.Remove(ownerUid, out var set) ? set : null;
}
