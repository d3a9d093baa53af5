using System.Text;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Actions;

/// <summary>
/// Skips pod groups that are provably no easier than one that already failed in this action (KAI's scheduling
/// signatures): same placement constraints, topology constraints and priority class, and no fewer pending pods nor smaller requests.
/// Searching victims is the expensive part of a cycle; identical jobs fail identically.
/// </summary>
internal sealed class SignatureSkipper(Session session)
{
    private readonly Dictionary<(int Scope, string Signature), ResourceVector[]> _failed = [];

    /// <summary>
    /// Whether a group whose waiting pods share one constraint set and GPU kind (most gangs) has its signature written
    /// at once — the same text — instead of a string per pod, sorted and joined. Off only in tests that compare both.
    /// </summary>
    internal bool WritesUniformSignaturesAtOnce { get; init; } = true;

    /// <summary>Whether to skip the group; <paramref name="seen"/> carries what was computed to <see cref="RecordFailure"/>.</summary>
    public bool ShouldSkip(int scope, int group, out Seen seen)
    {
        seen = default;
        if (!session.Configuration.UseSchedulingSignatures)
        {
            return false;
        }

        var key = (scope, Signature(group));
        if (!_failed.TryGetValue(key, out var failed))
        {
            seen = new Seen(group, key, null);
            return false;
        }

        var requests = PendingRequests(group);
        seen = new Seen(group, key, requests);
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

    /// <summary>Remembers a group that failed; the session must be as it was when <see cref="ShouldSkip"/> saw it.</summary>
    public void RecordFailure(in Seen seen)
    {
        if (seen.Key is not { } key)
        {
            // Signatures are off.
            return;
        }

        var requests = seen.Requests ?? PendingRequests(seen.Group);

        // The easiest failed job represents the signature: anything at least as hard fails too.
        if (!_failed.TryGetValue(key, out var current) || (requests.Length <= current.Length && requests.Zip(current).All(p => !IsSmaller(p.Second, p.First))))
        {
            _failed[key] = requests;
        }
    }

    /// <summary>A group as <see cref="ShouldSkip"/> saw it: its signature key, and its pending requests if computed.</summary>
    public readonly record struct Seen(int Group, (int Scope, string Signature)? Key, ResourceVector[]? Requests);

    /// <summary>The group's signature: its priority class, preemptibility, topology and its waiting pods' constraints and GPU kinds.</summary>
    internal string Signature(int group)
    {
        var snapshot = session.Snapshot;
        var definition = snapshot.Groups[group];
        var header = $"{definition.PriorityClassName}|{definition.Preemptible}|{definition.TopologySignature}|";
        if (WritesUniformSignaturesAtOnce && UniformWaiting(group) is var (pod, count))
        {
            // Equal strings sort next to each other: the join of the sorted list is the one string, count times.
            var text = new StringBuilder(header, header.Length + (count * (pod.Length + 1)));
            for (var i = 0; i < count; i++)
            {
                (i == 0 ? text : text.Append(';')).Append(pod);
            }

            return text.ToString();
        }

        var pods = snapshot.MembersOf(group).Where(p => !session.StatusOf(p).IsActiveUsed())
            .Select(p => $"{snapshot.Pods[p].Constraints.Signature}#{snapshot.Pods[p].GpuKind}")
            .Order(StringComparer.Ordinal);
        return header + string.Join(';', pods);
    }

    /// <summary>The one text of the group's waiting pods and their number, or null when they differ (or none waits).</summary>
    private (string Pod, int Count)? UniformWaiting(int group)
    {
        var snapshot = session.Snapshot;
        Pod? first = null;
        var count = 0;
        foreach (var p in snapshot.MembersOf(group))
        {
            if (session.StatusOf(p).IsActiveUsed())
            {
                continue;
            }

            var pod = snapshot.Pods[p];
            if (first is null)
            {
                first = pod;
            }
            else if (pod.GpuKind != first.GpuKind || !string.Equals(pod.Constraints.Signature, first.Constraints.Signature, StringComparison.Ordinal))
            {
                return null;
            }

            count++;
        }

        return first is null ? null : ($"{first.Constraints.Signature}#{first.GpuKind}", count);
    }

    private ResourceVector[] PendingRequests(int group) =>
        [.. session.Snapshot.MembersOf(group).Where(p => session.StatusOf(p) == PodStatus.Pending)
            .Select(session.PendingQueueRequestOf)
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
