using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Actions;

/// <summary>
/// Skips pod groups that are provably no easier than one that already failed in this action (KAI's scheduling
/// signatures): same placement constraints and priority class, and no fewer pending pods nor smaller requests.
/// Searching victims is the expensive part of a cycle; identical jobs fail identically.
/// </summary>
internal sealed class SignatureSkipper(Session session)
{
    private readonly Dictionary<(int Scope, string Signature), ResourceVector[]> _failed = [];

    public bool ShouldSkip(int scope, int group)
    {
        if (!session.Configuration.UseSchedulingSignatures || !_failed.TryGetValue((scope, Signature(group)), out var failed))
        {
            return false;
        }

        var requests = PendingRequests(group);
        if (requests.Length < failed.Length)
        {
            return false;
        }

        for (var i = 0; i < failed.Length; i++)
        {
            if (IsSmaller(requests[i], failed[i]))
            {
                return false;
            }
        }

        return true;
    }

    public void RecordFailure(int scope, int group)
    {
        var key = (scope, Signature(group));
        var requests = PendingRequests(group);

        // The easiest failed job represents the signature: anything at least as hard fails too.
        if (!_failed.TryGetValue(key, out var current) || (requests.Length <= current.Length && requests.Zip(current).All(p => !IsSmaller(p.Second, p.First))))
        {
            _failed[key] = requests;
        }
    }

    private string Signature(int group)
    {
        var snapshot = session.Snapshot;
        var pods = snapshot.MembersOf(group).Where(p => !session.StatusOf(p).IsActiveUsed())
            .Select(p => snapshot.Pods[p].Constraints.Signature)
            .Order(StringComparer.Ordinal);
        return $"{snapshot.Groups[group].PriorityClassName}|{snapshot.Groups[group].Preemptible}|{string.Join(';', pods)}";
    }

    private ResourceVector[] PendingRequests(int group) =>
        [.. session.Snapshot.MembersOf(group).Where(p => session.StatusOf(p) == PodStatus.Pending)
            .Select(session.RequestOf)
            .Order(Comparer<ResourceVector>.Create(Compare))];

    private static bool IsSmaller(in ResourceVector a, in ResourceVector b) => Compare(a, b) < 0;

    private static int Compare(ResourceVector a, ResourceVector b)
    {
        var byGpu = a.Gpu.CompareTo(b.Gpu);
        if (byGpu != 0)
        {
            return byGpu;
        }

        var byCpu = a.Cpu.CompareTo(b.Cpu);
        return byCpu != 0 ? byCpu : a.Memory.CompareTo(b.Memory);
    }
}
