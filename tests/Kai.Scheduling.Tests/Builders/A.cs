using Kai.Scheduling.Model;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>
/// Entry point of the test DSL: <c>A.Node("n1").Gpus(8)</c>, <c>A.Queue("team-a").Gpu(quota: 4)</c>,
/// <c>A.PodGroup("j0").InQueue("team-a").Members(4, gpu: 1)</c>. Objects default to "unconstrained":
/// ready nodes, queues open in every resource, pods requesting nothing but a pod slot.
/// </summary>
internal static class A
{
    public const string Namespace = "ns";

    /// <summary>The instant every test cluster lives at; creation times are offsets before it.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static NodeBuilder Node(string name) => new(name);

    public static QueueBuilder Queue(string name) => new(name);

    public static PodGroupBuilder PodGroup(string name) => new(name);

    public static PodBuilder Pod(string name) => new(name);

    /// <summary>The identity of the test pod group <paramref name="name"/>.</summary>
    public static PodGroupKey GroupKey(string name) => new(Namespace, name);

    /// <summary>A creation time: <paramref name="minutesAgo"/> minutes before <see cref="Now"/>.</summary>
    public static DateTimeOffset MinutesAgo(int minutesAgo) => Now.AddMinutes(-minutesAgo);
}
