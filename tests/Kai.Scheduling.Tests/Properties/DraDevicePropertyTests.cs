using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Tests.Builders;
using Kai.Scheduling.Tests.Disruption;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// Random arrivals, completions and evictions of pods with claims for a few NICs per node, cycle after cycle with every
/// action on: a bind never gives a claim a device another claim holds (allocated before, or given earlier in the cycle),
/// a claim gets exactly the devices it asks for, on its pod's node, and a claim shared by pods gets them once.
/// </summary>
public sealed class DraDevicePropertyTests
{
    private const string Nic = "nic.example.com";

    [Fact]
    public void RunCycle_OnRandomClaimArrivalsAndEvictions_NeverGivesADeviceToTwoClaims()
    {
        Gen.Int[0, int.MaxValue].Sample(seed => new ClaimWorld(seed).Play(rounds: 6), iter: 60);
    }

    /// <summary>The cluster between cycles: claims by key (allocated ones with node and devices) and the pods that use them.</summary>
    private sealed class ClaimWorld(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly int _nodes = 1 + new Random(seed).Next(3);
        private readonly Dictionary<string, Claim> _claims = [];
        private readonly List<PodEntry> _pods = [];
        private int _serial;

        public void Play(int rounds)
        {
            for (var round = 0; round < rounds; round++)
            {
                Arrive();
                Complete();
                var result = State().Run(SchedulerConfiguration.Default);
                Check(result);
                Apply(result);
            }
        }

        private void Arrive()
        {
            for (var n = _random.Next(1, 4); n > 0; n--)
            {
                var group = $"g{_serial++}";
                var claim = $"ns/{group}-claim";
                _claims[claim] = new Claim(1 + _random.Next(2));
                var queue = _random.Next(2) == 0 ? "qa" : "qb";
                var gpu = _random.Next(2);
                var sharers = _random.Next(4) == 0 ? 2 : 1;
                for (var s = 0; s < sharers; s++)
                {
                    _pods.Add(new PodEntry($"{group}-{s}", group, queue, claim, s == 0 ? gpu : 0, A.MinutesAgo(1000 - _serial)));
                }
            }
        }

        private void Complete()
        {
            foreach (var pod in _pods.Where(p => p.Node is not null && _random.Next(5) == 0).ToList())
            {
                Remove(pod);
            }
        }

        /// <summary>A pod goes; its claim is deallocated when no pod on a node uses it any more (the claim controller).</summary>
        private void Remove(PodEntry pod)
        {
            _pods.Remove(pod);
            if (!_pods.Any(p => p.Claim == pod.Claim && p.Node is not null))
            {
                _claims[pod.Claim] = _claims[pod.Claim] with { Node = null, Devices = [] };
            }
        }

        private Kai.Scheduling.Snapshots.ClusterState State()
        {
            var cluster = new Cluster().WithoutDefaultQueue()
                .With(A.Queue("qa").Gpu(quota: 2), A.Queue("qb").Gpu(quota: 0))
                .With([.. Enumerable.Range(0, _nodes).Select(n => A.Node($"n{n}").Gpus(4).DraDevices(1 + (n % 2), Nic))]);
            foreach (var group in _pods.GroupBy(p => p.Group))
            {
                var builder = A.PodGroup(group.Key).InQueue(group.First().Queue).MinMember(group.Count()).Created(group.First().Created);
                foreach (var pod in group)
                {
                    var claim = _claims[pod.Claim];
                    builder = builder.Pod(pod.Name, p =>
                    {
                        p = p.Gpu(pod.Gpu).Claim(pod.Claim, claim.Node, claim.Count, "nic", Nic, [.. claim.Devices]);
                        return pod.Node is { } node ? p.Running(node) : p;
                    });
                }

                cluster = cluster.With(builder);
            }

            return cluster.State();
        }

        private void Check(CycleResult result)
        {
            var held = _claims.Where(c => c.Value.Node is not null).SelectMany(c => c.Value.Devices.Select(d => (Device: d, Claim: c.Key))).ToList();
            Assert.Equal(held.Count, held.Select(h => h.Device).Distinct().Count());
            var granted = new Dictionary<string, string>();
            foreach (var decision in result.Decisions.Where(d => d.Kind == DecisionKind.Bind))
            {
                foreach (var grant in decision.Claims)
                {
                    Assert.Null(_claims[grant.Claim].Node);
                    Assert.Equal(decision.Node!.Value.Value, grant.Node);
                    Assert.Equal(_claims[grant.Claim].Count, grant.Devices.Count);
                    foreach (var device in grant.Devices.Select(d => d.Device))
                    {
                        Assert.Equal(grant.Node, device.Pool);
                        Assert.DoesNotContain(held, h => h.Device == device.ToString());
                        Assert.True(granted.TryAdd(device.ToString(), grant.Claim) || granted[device.ToString()] == grant.Claim, $"{device} given to {grant.Claim} and {granted[device.ToString()]}");
                    }
                }
            }
        }

        /// <summary>Bound pods run with their claims allocated as granted; evicted pods are gone; pipelined ones wait again.</summary>
        private void Apply(CycleResult result)
        {
            foreach (var decision in result.Decisions.Where(d => d.Kind == DecisionKind.Bind))
            {
                var pod = _pods.Single(p => p.Name == decision.Pod.Name);
                pod.Node = decision.Node!.Value.Value;
                foreach (var grant in decision.Claims)
                {
                    _claims[grant.Claim] = _claims[grant.Claim] with { Node = grant.Node, Devices = [.. grant.Devices.Select(d => d.Device.ToString())] };
                }
            }

            foreach (var decision in result.Decisions.Where(d => d.Kind == DecisionKind.Evict))
            {
                Remove(_pods.Single(p => p.Name == decision.Pod.Name));
            }
        }
    }

    private sealed record Claim(int Count, string? Node = null)
    {
        public IReadOnlyList<string> Devices { get; init; } = [];
    }

    private sealed class PodEntry(string name, string group, string queue, string claim, int gpu, DateTimeOffset created)
    {
        public string Name { get; } = name;

        public string Group { get; } = group;

        public string Queue { get; } = queue;

        public string Claim { get; } = claim;

        public int Gpu { get; } = gpu;

        public DateTimeOffset Created { get; } = created;

        public string? Node { get; set; }
    }
}
