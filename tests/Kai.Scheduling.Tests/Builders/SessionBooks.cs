using System.Text;
using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>
/// Every book a session keeps, as one canonical text: node idle/releasing/used and pods, pod status, node and
/// virtual flag, gang counts per pod set, queue allocation. Two equal texts mean equal books; a failing
/// comparison shows the line that differs.
/// </summary>
internal static class SessionBooks
{
    public static string Of(Session session)
    {
        var text = new StringBuilder();
        var snapshot = session.Snapshot;
        foreach (var node in session.Nodes)
        {
            var pods = string.Join(',', node.Pods.Select(p => snapshot.Pods[p].Name).Order(StringComparer.Ordinal));
            text.AppendLine($"node {node.Node.Name}: idle {node.Idle} | releasing {node.Releasing} | used {node.Used} | pods [{pods}]");
        }

        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            var node = session.NodeOf(p);
            text.AppendLine($"pod {snapshot.Pods[p].Name}: {session.StatusOf(p)} on {(node >= 0 ? snapshot.Nodes[node].Name : "-")} virtual={session.IsVirtual(p)}");
        }

        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            var sets = snapshot.PodSetsOf(g);
            var counts = string.Join(',', Enumerable.Range(0, sets.Count).Select(s => $"{sets[s].Name}={session.Gangs.ActiveAllocated(g, s)}/{session.Gangs.Pending(g, s)}"));
            text.AppendLine($"gang {snapshot.Groups[g].Name}: allocated/pending {counts}");
        }

        for (var q = 0; q < snapshot.Queues.Count; q++)
        {
            text.AppendLine($"queue {snapshot.Queues[q].Name}: allocated {session.Queues.Allocated[q]} | non-preemptible {session.Queues.AllocatedNonPreemptible[q]}");
        }

        return text.ToString();
    }
}
