using Kai.Scheduling.Decisions;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>Finds snapshot indices by name and reads cycle results by pod name.</summary>
internal static class Lookups
{
    public static int Pod(this ClusterSnapshot snapshot, string name)
    {
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            if (snapshot.Pods[p].Name == name)
            {
                return p;
            }
        }

        throw new ArgumentException($"No pod named '{name}'.", nameof(name));
    }

    public static int Node(this ClusterSnapshot snapshot, string name) =>
        snapshot.FindNode(name) is var n and >= 0 ? n : throw new ArgumentException($"No node named '{name}'.", nameof(name));

    public static int Group(this ClusterSnapshot snapshot, string name) =>
        snapshot.FindGroup(A.Namespace, name) is var g and >= 0 ? g : throw new ArgumentException($"No pod group named '{name}'.", nameof(name));

    public static int Queue(this ClusterSnapshot snapshot, string name) =>
        snapshot.FindQueue(name) is var q and >= 0 ? q : throw new ArgumentException($"No queue named '{name}'.", nameof(name));

    public static int Pod(this Session session, string name) => session.Snapshot.Pod(name);

    public static int Node(this Session session, string name) => session.Snapshot.Node(name);

    public static int Group(this Session session, string name) => session.Snapshot.Group(name);

    public static int Queue(this Session session, string name) => session.Snapshot.Queue(name);

    public static NodeState NodeState(this Session session, string name) => session.Nodes[session.Node(name)];

    public static string[] PodNames(this Session session, IEnumerable<int> pods) => [.. pods.Select(p => session.Snapshot.Pods[p].Name)];

    /// <summary>"pod@node" for every decision of <paramref name="kind"/>, in decision order.</summary>
    public static string[] Placements(this IEnumerable<SchedulingDecision> decisions, DecisionKind kind) =>
        [.. decisions.Where(d => d.Kind == kind).Select(d => $"{d.Pod.Name}@{d.Node}")];

    public static string[] Binds(this CycleResult result) => result.Decisions.Placements(DecisionKind.Bind);

    public static string[] Pipelines(this CycleResult result) => result.Decisions.Placements(DecisionKind.Pipeline);
}
