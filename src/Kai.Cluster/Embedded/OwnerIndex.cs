using k8s.Models;

namespace Kai.Cluster.Embedded;

/// <summary>
/// Owner uid → uids of the objects whose ownerReferences name it, so that removing an owner finds its
/// dependents without scanning the store. Updates cost O(owner references of the written object).
/// </summary>
/// <remarks>
/// Most owners have one dependent (a pod its bind request): that one is kept as its uid alone, and a set is made
/// only for a second, so that 100,000 owned objects do not cost 100,000 sets.
/// </remarks>
internal sealed class OwnerIndex
{
    /// <summary>Owner uid → its one dependent's uid (a string) or its dependents (a <see cref="HashSet{T}"/> of uids).</summary>
    private readonly Dictionary<string, object> _dependents = new(StringComparer.Ordinal);

    public void Add(string dependentUid, IList<V1OwnerReference>? owners)
    {
        if (owners is null)
        {
            return;
        }

        for (var i = 0; i < owners.Count; i++)
        {
            var ownerUid = owners[i].Uid;
            if (string.IsNullOrEmpty(ownerUid))
            {
                continue;
            }

            if (!_dependents.TryGetValue(ownerUid, out var existing))
            {
                _dependents.Add(ownerUid, dependentUid);
            }
            else if (existing is HashSet<string> set)
            {
                set.Add(dependentUid);
            }
            else if (!string.Equals((string)existing, dependentUid, StringComparison.Ordinal))
            {
                _dependents[ownerUid] = new HashSet<string>(StringComparer.Ordinal) { (string)existing, dependentUid };
            }
        }
    }

    public void Remove(string dependentUid, IList<V1OwnerReference>? owners)
    {
        if (owners is null)
        {
            return;
        }

        for (var i = 0; i < owners.Count; i++)
        {
            var ownerUid = owners[i].Uid;
            if (string.IsNullOrEmpty(ownerUid) || !_dependents.TryGetValue(ownerUid, out var existing))
            {
                continue;
            }

            if (existing is HashSet<string> set)
            {
                set.Remove(dependentUid);
                if (set.Count == 0)
                {
                    _dependents.Remove(ownerUid);
                }
            }
            else if (string.Equals((string)existing, dependentUid, StringComparison.Ordinal))
            {
                _dependents.Remove(ownerUid);
            }
        }
    }

    /// <summary>Removes and returns the dependents of <paramref name="ownerUid"/>.</summary>
    public HashSet<string>? Take(string ownerUid) =>
        !_dependents.Remove(ownerUid, out var existing) ? null
        : existing as HashSet<string> ?? new HashSet<string>(StringComparer.Ordinal) { (string)existing };
}
