using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>Shorthands for the running and pending pod groups the disruption tests are made of.</summary>
internal static class Workloads
{
    /// <summary>
    /// <paramref name="count"/> single-pod groups <c>{prefix}0..</c> running on <paramref name="node"/> in
    /// <paramref name="queue"/>, each created a minute after the previous (so the last is the newest).
    /// </summary>
    public static PodGroupBuilder[] RunningSingles(string prefix, int count, string queue, string node, double gpu = 1, int priority = 50) =>
        [.. Enumerable.Range(0, count).Select(i => A.PodGroup($"{prefix}{i}").InQueue(queue).Priority(priority).Created(A.MinutesAgo(90 - i))
            .Members(1, gpu: gpu, with: p => p.Running(node)))];

    /// <summary>A pending group of <paramref name="pods"/> pods (minimum <paramref name="minMember"/>, default all).</summary>
    public static PodGroupBuilder Pending(string name, string queue, int pods = 1, double gpu = 1, int priority = 50, int? minMember = null) =>
        A.PodGroup(name).InQueue(queue).Priority(priority).MinMember(minMember ?? pods).Created(A.MinutesAgo(5)).Members(pods, gpu: gpu);

    /// <summary>A running group with its pods on the given nodes, in order.</summary>
    public static PodGroupBuilder Running(string name, string queue, int minMember, double gpu, params string[] nodes)
    {
        var builder = A.PodGroup(name).InQueue(queue).MinMember(minMember).Created(A.MinutesAgo(60));
        foreach (var node in nodes)
        {
            builder.Members(1, gpu: gpu, with: p => p.Running(node));
        }

        return builder;
    }
}
