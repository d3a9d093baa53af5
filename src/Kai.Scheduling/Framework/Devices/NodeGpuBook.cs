using Kai.Scheduling.Model;

namespace Kai.Scheduling.Framework.Devices;

/// <summary>
/// The shared GPUs (GPU groups) of one node during a session, ordered by group id. Whole-GPU pods never use them:
/// each open group takes a whole GPU out of the node's idle GPUs, which is all whole-GPU placement sees.
/// </summary>
public sealed class NodeGpuBook
{
    private readonly List<GpuGroup> _groups = [];

    internal NodeGpuBook(Node node, int index)
    {
        Node = index;
        GpuMemoryMiB = node.GpuMemoryMiB;
    }

    /// <summary>Index of the node.</summary>
    public int Node { get; }

    /// <summary>Memory of each GPU of the node, MiB.</summary>
    public long GpuMemoryMiB { get; }

    /// <summary>Groups held by at least one pod, by id.</summary>
    public IReadOnlyList<GpuGroup> Groups => _groups;

    /// <summary>The group with this id held on the node, or null.</summary>
    public GpuGroup? Find(string id)
    {
        var at = IndexOf(id);
        return at >= 0 ? _groups[at] : null;
    }

    /// <summary>The group with this id, or a new (empty) one that joins the book when a pod is added to it.</summary>
    internal GpuGroup FindOrCreate(string id) => Find(id) ?? new GpuGroup(id, Node);

    /// <summary>Whether some open group has room for <paramref name="memory"/> MiB.</summary>
    public bool AnyFits(long memory)
    {
        foreach (var group in _groups)
        {
            if (group.Fits(memory, GpuMemoryMiB))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many open groups have room for <paramref name="memory"/> MiB, counting up to <paramref name="enough"/>.</summary>
    public int CountFitting(long memory, int enough)
    {
        var count = 0;
        foreach (var group in _groups)
        {
            if (group.Fits(memory, GpuMemoryMiB) && ++count >= enough)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>
    /// The most free memory of an open group, in hundredths of the device (floored), or -1 without an open group:
    /// a pod asking for a fraction of h hundredths fits some group exactly when h is at most this.
    /// </summary>
    public int MaxFreeHundredths()
    {
        var best = -1L;
        foreach (var group in _groups)
        {
            if (group.IsOpen)
            {
                best = Math.Max(best, Math.Max(0, group.FreeMemory(GpuMemoryMiB)) * 100 / GpuMemoryMiB);
            }
        }

        return (int)Math.Min(best, 100);
    }

    /// <summary>Adds a pod's share to its groups; returns how the node's whole-GPU books change.</summary>
    internal GpuCharge Add(GpuGroup[] groups, long memory, PodStatus status)
    {
        var change = default(GpuCharge);
        foreach (var group in groups)
        {
            var before = group.Charge;
            if (group.Pods == 0)
            {
                Insert(group);
            }

            group.Add(memory, status);
            change += group.Charge - before;
        }

        return change;
    }

    /// <summary>Removes a pod's share from its groups; returns how the node's whole-GPU books change.</summary>
    internal GpuCharge Remove(GpuGroup[] groups, long memory, PodStatus status)
    {
        var change = default(GpuCharge);
        foreach (var group in groups)
        {
            var before = group.Charge;
            group.Remove(memory, status);
            if (group.Pods == 0)
            {
                _groups.RemoveAt(IndexOf(group.Id));
            }

            change += group.Charge - before;
        }

        return change;
    }

    private void Insert(GpuGroup group)
    {
        var at = IndexOf(group.Id);
        if (at >= 0)
        {
            throw new InvalidOperationException($"GPU group {group.Id} is already held on the node by another group object.");
        }

        _groups.Insert(~at, group);
    }

    private int IndexOf(string id)
    {
        int low = 0, high = _groups.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = string.CompareOrdinal(_groups[middle].Id, id);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }
}
