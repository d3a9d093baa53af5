using System.Globalization;
using System.Runtime.CompilerServices;
using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Tests.Embedded;

/// <summary>
/// The index that finds a recorded event for its repeat is the set of stored events compared by the correlator's key
/// (<see cref="RecordedEvents"/>): it finds what the reference dictionary from that key finds, holds no replaced
/// version, and costs less per event.
/// </summary>
public sealed class RecordedEventsTests
{
    private static readonly string[] Reasons = ["Unschedulable", "Scheduled"];
    private static readonly string[] Messages = ["0/4 nodes are available", "0/4 nodes: no gpu", "bound to n0"];

    private enum OpKind
    {
        Record,
        DeleteEvent,
        ReplaceEvent,
        DeletePod,
        Advance,
    }

    private sealed record Op(OpKind Kind, int Pod, int Reason, int Message, int Event)
    {
        public override string ToString() => $"{Kind} p{Pod} r{Reason} m{Message} e{Event}";
    }

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Enum<OpKind>(), Gen.Int[0, 3], Gen.Int[0, 1], Gen.Int[0, 2], Gen.Int[0, 9], (kind, pod, reason, message, e) => new Op(kind, pod, reason, message, e));

    [Fact]
    public async Task RecordEventAsync_WhenRandom_StoresTheSameEventsAsTheReferenceIndex()
    {
        await GenOp.Array[0, 60].SampleAsync(
            async ops =>
            {
                var compact = new World(new EmbeddedClusterOptions());
                var reference = new World(new EmbeddedClusterOptions { CompactEventIndex = false });
                await compact.StartAsync();
                await reference.StartAsync();
                foreach (var op in ops)
                {
                    Assert.Equal(await reference.ApplyAsync(op), await compact.ApplyAsync(op));
                    Assert.Equal(reference.Cluster.EventBookkeeping, compact.Cluster.EventBookkeeping);
                }

                Assert.Equal(await EventsJsonAsync(reference.Cluster), await EventsJsonAsync(compact.Cluster));
            },
            iter: 300,
            threads: 1);
    }

    [Fact]
    public async Task RecordEventAsync_WhenRepeated_KeepsNoReplacedVersionAlive()
    {
        // No history: nothing but the index could hold the first version once it is replaced.
        var cluster = TestCluster.Create(options: new EmbeddedClusterOptions { HistoryCapacity = 0 });
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var first = await RecordWeaklyAsync(cluster, pod);
        var repeated = await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(2, repeated.Count);
        Assert.False(first.IsAlive, "the index still holds the replaced version of the event");
        Assert.Equal(3, (await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu")).Count);
    }

    [Fact]
    public async Task RecordEventAsync_NewEvents_AllocateLessThanWithTheReferenceIndex()
    {
        const int Events = 4000;
        var compact = await BytesPerNewEventAsync(new EmbeddedClusterOptions(), Events);
        var reference = await BytesPerNewEventAsync(new EmbeddedClusterOptions { CompactEventIndex = false }, Events);

        // The reference dictionary's entry is 72 bytes larger, and its growth copies them (measured on .NET 10: 961
        // against 1,099 bytes). A recorded event is stored as made, not copied again by the create: with those two
        // copies (an event and its metadata) a new event cost 1,305 bytes.
        Assert.True(compact + 100 < reference, $"compact {compact} bytes per event, reference {reference}");
        Assert.True(compact <= 1100, $"a new recorded event allocated {compact} bytes");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> RecordWeaklyAsync(EmbeddedCluster cluster, V1Pod pod) =>
        new(await cluster.RecordEventAsync("kai-scheduler", pod, EventType.Warning, "Unschedulable", "no gpu"));

    /// <summary>What recording one new event allocates on average (events about distinct pods, after a warm-up).</summary>
    private static async Task<long> BytesPerNewEventAsync(EmbeddedClusterOptions options, int events)
    {
        var cluster = TestCluster.Create(options: options with { HistoryCapacity = 0 });
        var pods = new List<V1Pod>(events + 1);
        for (var i = 0; i <= events; i++)
        {
            pods.Add(await cluster.CreateAsync(TestCluster.Pod("p" + i.ToString(CultureInfo.InvariantCulture))));
        }

        await cluster.RecordEventAsync("kai-scheduler", pods[events], EventType.Warning, "Unschedulable", "warm-up");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < events; i++)
        {
            await cluster.RecordEventAsync("kai-scheduler", pods[i], EventType.Warning, "Unschedulable", "0/4 nodes are available");
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / events;
    }

    private static async Task<string> EventsJsonAsync(EmbeddedCluster cluster) =>
        KubernetesJson.Serialize((await cluster.ListAsync<Corev1Event>()).Items);

    /// <summary>A cluster of four pods on a clock that the operations move.</summary>
    private sealed class World(EmbeddedClusterOptions options)
    {
        private readonly FakeTimeProvider _time = new(TestCluster.Epoch);
        private EmbeddedCluster? _cluster;

        public EmbeddedCluster Cluster => _cluster ??= TestCluster.Create(_time, options);

        public async Task StartAsync()
        {
            for (var i = 0; i < 4; i++)
            {
                await Cluster.CreateAsync(TestCluster.Pod(PodName(i)));
            }
        }

        /// <summary>Applies <paramref name="op"/>; returns what happened (the error when it failed).</summary>
        public async Task<string> ApplyAsync(Op op)
        {
            try
            {
                return op.Kind switch
                {
                    OpKind.Record => await RecordAsync(op),
                    OpKind.DeleteEvent => await DeleteEventAsync(op.Event),
                    OpKind.ReplaceEvent => await ReplaceEventAsync(op.Event, Messages[op.Message]),
                    OpKind.DeletePod => await DeletePodAsync(op.Pod),
                    _ => Advance(op.Message),
                };
            }
            catch (ClusterException e)
            {
                return e.GetType().Name + " " + e.Message;
            }
        }

        private async Task<string> RecordAsync(Op op)
        {
            // A deleted pod is still the involved object of the events recorded about it.
            var pod = await Cluster.GetAsync<V1Pod>("team-a", PodName(op.Pod)) ?? TestCluster.Pod(PodName(op.Pod));
            var recorded = await Cluster.RecordEventAsync("kai-scheduler", pod, op.Reason == 0 ? EventType.Warning : EventType.Normal, Reasons[op.Reason], Messages[op.Message]);
            return $"{recorded.Metadata.Name} x{recorded.Count}";
        }

        private async Task<string> DeleteEventAsync(int index)
        {
            var events = (await Cluster.ListAsync<Corev1Event>()).Items;
            if (events.Count == 0)
            {
                return "none";
            }

            var e = events[index % events.Count];
            await Cluster.DeleteAsync<Corev1Event>(e.Metadata.NamespaceProperty, e.Metadata.Name);
            return "deleted " + e.Metadata.Name;
        }

        // A client changing a recorded event's message (kubectl edit): the key it was recorded with still finds it.
        private async Task<string> ReplaceEventAsync(int index, string message)
        {
            var events = (await Cluster.ListAsync<Corev1Event>()).Items;
            if (events.Count == 0)
            {
                return "none";
            }

            var e = events[index % events.Count];
            var replaced = await Cluster.ReplaceAsync(e with { Message = message });
            return "replaced " + replaced.Metadata.Name;
        }

        private async Task<string> DeletePodAsync(int pod)
        {
            await Cluster.DeleteAsync<V1Pod>("team-a", PodName(pod), gracePeriodSeconds: 0);
            return "deleted " + PodName(pod);
        }

        // Twenty, forty or sixty minutes: events last recorded an hour ago expire at the next record.
        private string Advance(int step)
        {
            _time.Advance(TimeSpan.FromMinutes(20 * (step + 1)));
            return "advanced";
        }

        private static string PodName(int i) => "p" + i.ToString(CultureInfo.InvariantCulture);
    }
}
