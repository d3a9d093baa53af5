using System.Security.Cryptography;
using System.Text;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Chooses the GPUs of a node for a pod that shares GPUs (KAI's FittingGPUs and getNodePreferableGpuForSharing): the
/// open groups with room for its share and one entry per whole free GPU are ordered by the GPU order plugins (sum of
/// scores, highest first; ties keep groups by id, then whole GPUs), and the pod takes the first
/// <see cref="Model.GpuRequest.Devices"/>. A whole GPU becomes a new group.
/// </summary>
internal static class SharedGpuPlacement
{
    /// <summary>The pod's GPUs on the node, or null when it does not get enough of them.</summary>
    /// <param name="session">The session.</param>
    /// <param name="pod">A pod that shares GPUs.</param>
    /// <param name="node">The node.</param>
    /// <param name="fitsIdle">Whether the pod fits the node's idle capacity (else whatever it takes waits for releasing pods).</param>
    public static SharedGpuChoice? Choose(Session session, int pod, NodeState node, bool fitsIdle)
    {
        var definition = session.Snapshot.Pods[pod];
        var devices = definition.Gpu.Devices;
        var gpuMemory = node.Node.GpuMemoryMiB;
        var memory = definition.Gpu.MemoryOn(gpuMemory);
        if (memory > gpuMemory)
        {
            return null;
        }

        // KAI counts idle and releasing whole GPUs each rounded toward zero.
        var idleWhole = Math.Max(0, node.Idle.Gpu / Resources.ResourceVector.MilliPerGpu);
        var wholeEntries = Math.Max(0, (node.Idle.Gpu / Resources.ResourceVector.MilliPerGpu) + (node.Releasing.Gpu / Resources.ResourceVector.MilliPerGpu));
        var groups = node.SharedGpus;
        var candidates = new List<(double Score, int Order, GpuGroup? Group)>(groups.Count + (int)Math.Min(wholeEntries, devices));
        foreach (var group in groups)
        {
            if (group.Fits(memory, gpuMemory))
            {
                candidates.Add((Score(session, pod, node, group), candidates.Count, group));
            }
        }

        // Whole GPUs all score alike; more than the pod's devices can never be taken.
        var wholeScore = wholeEntries > 0 ? Score(session, pod, node, null) : 0;
        for (var w = 0; w < Math.Min(wholeEntries, devices); w++)
        {
            candidates.Add((wholeScore, candidates.Count, null));
        }

        if (candidates.Count < devices)
        {
            return null;
        }

        candidates.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
        var existing = new List<GpuGroup>(devices);
        var newGroups = 0;
        var releasing = !fitsIdle;
        for (var i = 0; i < devices; i++)
        {
            if (candidates[i].Group is { } group)
            {
                existing.Add(group);
                // A group opened only by pipelined pods holds no device yet: joining it waits as they do.
                releasing |= group.IdleMemory(gpuMemory) < memory || !group.HoldsDevice;
            }
            else
            {
                // A whole GPU binds now only while idle ones remain (releasing ones are free only once their pods are gone).
                releasing |= newGroups >= idleWhole;
                newGroups++;
            }
        }

        return new SharedGpuChoice([.. existing], newGroups, releasing);
    }

    /// <summary>The groups of a choice, the new ones created with fresh ids.</summary>
    public static GpuGroup[] Materialize(Session session, int pod, NodeState node, SharedGpuChoice choice)
    {
        if (choice.NewGroups == 0)
        {
            return choice.Existing;
        }

        var groups = new GpuGroup[choice.Existing.Length + choice.NewGroups];
        choice.Existing.CopyTo(groups, 0);
        for (var i = choice.Existing.Length; i < groups.Length; i++)
        {
            groups[i] = node.SharedGpuBook.FindOrCreate(NewGroupId(session, pod, node, i));
        }

        return groups;
    }

    /// <summary>
    /// A UUID-shaped id for a new group (KAI makes a random UUID): derived from the cycle's time, the node, the pod
    /// and a per-session counter, so runs replay exactly and ids do not repeat across cycles.
    /// </summary>
    private static string NewGroupId(Session session, int pod, NodeState node, int device)
    {
        var seed = $"{session.Now.UtcTicks}|{node.Node.Name}|{session.Snapshot.Pods[pod].Uid}|{device}|{session.NextGpuGroupSerial()}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5 layout: name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(hash[..16]).Insert(20, "-").Insert(16, "-").Insert(12, "-").Insert(8, "-");
    }

    private static double Score(Session session, int pod, NodeState node, GpuGroup? group)
    {
        var score = 0.0;
        foreach (var plugin in session.Plugins.GpuOrder)
        {
            score += plugin.ScoreGpu(session, pod, node, group);
        }

        return score;
    }
}
