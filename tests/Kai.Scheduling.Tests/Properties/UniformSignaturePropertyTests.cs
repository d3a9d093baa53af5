using CsCheck;
using Kai.Scheduling.Actions;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// A group's scheduling signature written at once when its waiting pods are alike
/// (<see cref="SignatureSkipper.WritesUniformSignaturesAtOnce"/>) is the text the skipper builds pod by pod: for every
/// group of random worlds (gangs of one request with and without differing tolerations, mixed gangs), before and after
/// random waiting pods are placed, so that which pods wait changes (evicted pods are releasing, which neither text counts).
/// </summary>
public sealed class UniformSignaturePropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void Signature_WrittenAtOnce_IsTheTextBuiltPodByPod()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen(), RandomWorld.ChainGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var counts = new int[3];
        gen.Sample(
            sample =>
            {
                var session = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(sample.world.State));
                var random = new Random(sample.seed);
                var atOnce = new SignatureSkipper(session);
                var podByPod = new SignatureSkipper(session) { WritesUniformSignaturesAtOnce = false };
                for (var round = 0; round < 3; round++)
                {
                    // Placed pods stop waiting; evicted ones are releasing, read alike by both texts (the statement stays open
                    // while the signatures are read; round 0 changes nothing).
                    using var statement = session.Begin(ActionKind.Reclaim);
                    foreach (var pod in Enumerable.Range(0, session.Snapshot.Pods.Count).Where(_ => round > 0 && random.Next(3) == 0))
                    {
                        if (session.StatusOf(pod) == PodStatus.Pending && !session.Snapshot.Pods[pod].Gpu.IsShared && session.Snapshot.Nodes.Count > 0)
                        {
                            statement.Allocate(pod, random.Next(session.Snapshot.Nodes.Count));
                            counts[2]++;
                        }
                        else if (session.StatusOf(pod).IsActiveAllocated())
                        {
                            statement.Evict(pod);
                        }
                    }

                    for (var g = 0; g < session.Snapshot.Groups.Count; g++)
                    {
                        var expected = podByPod.Signature(g);
                        Assert.Equal(expected, atOnce.Signature(g));
                        counts[expected.Contains(';', StringComparison.Ordinal) ? 1 : 0]++;
                    }
                }
            },
            iter: Iterations);

        // Groups with several waiting pods (a ';' in the text) must have been met, or the join was never compared.
        Assert.True(counts[1] > 2_000, $"{counts[1]} signatures of several waiting pods, {counts[0]} of one or none");
        Assert.True(counts[2] > 2_000, $"only {counts[2]} waiting pods placed between the rounds");
    }
}
