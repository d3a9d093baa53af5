using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The proportion plugin's capacity check that lets a job through at once when no queue on its path has a limit (nor,
/// for a non-preemptible job, a quota) (<see cref="ProportionPlugin.SkipsUnboundedPaths"/>, <see cref="QueuePathBounds"/>)
/// answers as the check that walks the path every time, status for status and word for word: on random worlds (limits
/// on some queues, quotas on most, preemptible and non-preemptible groups) whose allocations change between the questions,
/// with the groups' own requests and random ones. The walk writes its refusals' words at once; the shortcut defers them
/// (<see cref="ProportionPlugin.DefersRefusalTexts"/>), and they are read only after the session has moved on.
/// </summary>
public sealed class QueuePathBoundsPropertyTests
{
    private const int Iterations = 1500;

    [Fact]
    public void CheckJob_SkippingUnboundedPaths_AnswersAsTheWalk()
    {
        var gen =
            from world in Gen.OneOf(RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.CrowdedGen())
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);
        var counts = new int[3];
        gen.Sample(
            sample =>
            {
                var session = new SchedulingEngine(sample.world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(sample.world.State));
                CompareOnRandomRounds(session, new Random(sample.seed), counts, sample.world.Description);
            },
            iter: Iterations);

        // Both answers must be common, and refusals of non-preemptible jobs over quota too, or a wrong shortcut could pass.
        Assert.True(counts[0] > 3_000 && counts[1] > 1_000 && counts[2] > 200, $"allowed {counts[0]}, refused {counts[1]}, of which over quota {counts[2]}");
    }

    private static void CompareOnRandomRounds(Session session, Random random, int[] counts, string description)
    {
        var options = new ProportionOptions();
        var skipping = new ProportionPlugin(options, allowConsolidatingReclaim: false);
        var walking = new ProportionPlugin(options, allowConsolidatingReclaim: false) { SkipsUnboundedPaths = false, DefersRefusalTexts = false };
        var running = Enumerable.Range(0, session.Snapshot.Pods.Count).Where(p => session.StatusOf(p).IsActiveAllocated()).ToList();
        if (session.Snapshot.Groups.Count == 0)
        {
            return;
        }

        for (var round = 0; round < 4; round++)
        {
            // The deferred refusals' words are read once the round's statement is gone (its evictions undone): they must
            // be of the amounts when the job was refused, as the words written at once are.
            var answers = AskInOneStatement(session, random, running, walking, skipping);
            foreach (var (expected, actual, asked) in answers)
            {
                Assert.True(expected == actual, $"round {round}: {asked}: walked {expected}, skipped {actual}\n{description}");
                Assert.Equal(expected.Reason, actual.Reason);
                counts[expected.IsSuccess ? 0 : 1]++;
                if (expected.ExplanationReason == GroupExplanation.NonPreemptibleOverQuota)
                {
                    counts[2]++;
                }
            }
        }
    }

    /// <summary>Random running pods evicted, then twenty questions of both plugins; the statement is gone on return.</summary>
    private static List<(PluginStatus Expected, PluginStatus Actual, string Asked)> AskInOneStatement(
        Session session, Random random, List<int> running, ProportionPlugin walking, ProportionPlugin skipping)
    {
        var answers = new List<(PluginStatus, PluginStatus, string)>();
        var groups = session.Snapshot.Groups.Count;
        using var statement = session.Begin(ActionKind.Reclaim);
        foreach (var pod in running.Where(p => session.StatusOf(p).IsActiveAllocated() && random.Next(3) == 0))
        {
            statement.Evict(pod);
        }

        for (var i = 0; i < 20; i++)
        {
            var group = random.Next(groups);
            var request = random.Next(2) == 0
                ? session.Quantum.InitRequest(group).QueueResources
                : new ResourceVector(random.Next(0, 3) * 4000, 0, random.Next(0, 6) * ResourceVector.MilliPerGpu);
            answers.Add((walking.CheckJob(session, group, request), skipping.CheckJob(session, group, request), $"group {group}, request {request}"));
        }

        return answers;
    }
}
