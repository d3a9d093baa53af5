using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.Common;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// KAI's reclaim rules (semantics spec §3.5): who may reclaim, and whether a set of victims may be taken.
/// Victims are compared level by level: the reclaimer's and the victim's first differing ancestors.
/// </summary>
internal sealed class ReclaimRules(double saturationMultiplier, bool allowConsolidatingReclaim)
{
    private static readonly HashSet<int> EmptySet = [];

    /// <summary>A reclaimer must stay within its fair share with the job, and a non-preemptible one within quota.</summary>
    public static string? RejectReclaimer(ISessionView session, int group)
    {
        var leaf = session.Snapshot.QueueOf(group);
        var request = session.Quantum.InitRequest(group).QueueResources;
        var queue = session.Snapshot.Queues[leaf];
        var withJob = session.Queues.Allocated[leaf] + request;
        if (!LessEqualAll(withJob, session.Queues.FairShare[leaf]))
        {
            return $"queue {queue.Name} is not below its fair share ({Describe(session.Queues.FairShare[leaf])}; with this job it would hold {Describe(withJob)})";
        }

        if (!session.IsPreemptible(group) && !ProportionPlugin.WithinDeserved(session, leaf, session.Queues.AllocatedNonPreemptible[leaf] + request))
        {
            return $"queue {queue.Name} would exceed its quota with non-preemptible workloads";
        }

        return null;
    }

    /// <summary>
    /// Whether <see cref="Validate"/> lists a scenario's chunks from buffers kept across scenarios (<see cref="VictimChunkList"/>)
    /// and reuses its books, instead of grouping the victims with LINQ; off only in tests that compare the two.
    /// </summary>
    internal bool ListsChunksInPlace { get; init; } = true;

    /// <summary>Whether the chunk list skips its sort for victims already in chunk order (<see cref="VictimChunkList.SkipsSortInOrder"/>).</summary>
    internal bool SkipsSortInOrder { get; init; } = true;

    /// <summary>How many groups the chunk list scans before it finds them through a dictionary (<see cref="VictimChunkList.GroupsScanned"/>).</summary>
    internal int ChunkGroupsScanned { get; init; } = 16;

    private VictimChunkList? _chunkList;
    private readonly ScenarioQueueBooks _books = new();

    public string? Validate(ISessionView session, EvictionScenario scenario)
    {
        if (!ListsChunksInPlace)
        {
            return ValidateGrouped(session, scenario);
        }

        var snapshot = session.Snapshot;
        var reclaimerLeaf = snapshot.QueueOf(scenario.Preemptor);
        _books.Reset(snapshot.Queues.Count);
        _chunkList ??= new VictimChunkList { SkipsSortInOrder = SkipsSortInOrder, GroupsScanned = ChunkGroupsScanned };
        _chunkList.Build(session, scenario, allowConsolidatingReclaim);
        var chunks = _chunkList.Chunks;
        var levelledQueue = -1;
        var (levelledReclaimer, levelledVictim) = (-1, -1);
        foreach (var (queue, chunk) in chunks)
        {
            if (queue != levelledQueue)
            {
                (levelledReclaimer, levelledVictim) = QueuePaths.Levelled(snapshot, reclaimerLeaf, queue);
                levelledQueue = queue;
            }

            if (TakeChunk(session, scenario.Start, queue, levelledReclaimer, levelledVictim, chunk, _books) is { } failure)
            {
                return failure;
            }
        }

        return WithinBoundaries(session, scenario.Preemptor, reclaimerLeaf, scenario.Start, _books);
    }

    /// <summary>
    /// The rules as KAI states them, the victims grouped with LINQ and counted in books of their own (the reference
    /// <see cref="ListsChunksInPlace"/> is compared with).
    /// </summary>
    private string? ValidateGrouped(ISessionView session, EvictionScenario scenario)
    {
        var snapshot = session.Snapshot;
        var reclaimerLeaf = snapshot.QueueOf(scenario.Preemptor);
        // Victims placed again elsewhere free nothing, with allowConsolidatingReclaim; they still count in the chunking.
        IEnumerable<int> victims = [.. scenario.EvictedPods, .. scenario.MovedPods];
        IReadOnlySet<int> uncounted = allowConsolidatingReclaim ? new HashSet<int>(scenario.MovedPods) : EmptySet;

        var books = new ScenarioQueueBooks();
        books.Reset(snapshot.Queues.Count);
        foreach (var byQueue in victims.GroupBy(p => snapshot.QueueOf(snapshot.GroupOf(p))).OrderBy(g => g.Key))
        {
            var (levelledReclaimer, levelledVictim) = QueuePaths.Levelled(snapshot, reclaimerLeaf, byQueue.Key);
            foreach (var chunk in Chunks(session, byQueue, uncounted))
            {
                if (TakeChunk(session, scenario.Start, byQueue.Key, levelledReclaimer, levelledVictim, chunk, books) is { } failure)
                {
                    return failure;
                }
            }
        }

        return WithinBoundaries(session, scenario.Preemptor, reclaimerLeaf, scenario.Start, books);
    }

    /// <summary>
    /// One chunk of a victim leaf queue: refused when the levelled victim queue, with what is taken so far, keeps no more
    /// than its fair share and the deserved-quota strategy does not hold either; else subtracted from the queue and its
    /// ancestors and counted against the levelled victim.
    /// </summary>
    private static string? TakeChunk(ISessionView session, VictimSearchStart searchStart, int victimLeaf, int levelledReclaimer, int levelledVictim, ResourceVector chunk, ScenarioQueueBooks books)
    {
        // Validation runs after the simulation has placed the reclaimer, so the state before the search is what counts.
        var start = searchStart.QueueAllocated;
        var left = books.RemainingOr(levelledVictim, start[levelledVictim]);
        if (!MaintainsFairShare(session, levelledVictim, left) && !GuaranteesDeservedQuota(session, start[levelledReclaimer], levelledReclaimer, levelledVictim, left, searchStart.PreemptorRequest))
        {
            return $"queue {session.Snapshot.Queues[levelledVictim].Name} would drop below its fair share ({Describe(session.Queues.FairShare[levelledVictim])})";
        }

        foreach (var q in session.Snapshot.QueueAndAncestors(victimLeaf))
        {
            books.SetRemaining(q, books.RemainingOr(q, start[q]) - chunk);
        }

        books.AddTaken(levelledVictim, chunk);
        return null;
    }

    /// <summary>
    /// The "relative order is preserved" rule: a reclaimer that would go above its fair share may take from a
    /// sibling only while it stays less saturated (times the multiplier) than that sibling.
    /// </summary>
    private string? WithinBoundaries(ISessionView session, int preemptor, int reclaimerLeaf, VictimSearchStart searchStart, ScenarioQueueBooks books)
    {
        var snapshot = session.Snapshot;
        var start = searchStart.QueueAllocated;
        var nonPreemptibleAtStart = searchStart.QueueAllocatedNonPreemptible;
        var request = searchStart.PreemptorRequest;
        foreach (var q in snapshot.QueueAndAncestors(reclaimerLeaf))
        {
            var withJob = books.RemainingOr(q, start[q]) + request;
            var parent = snapshot.ParentOf(q);
            var siblings = parent >= 0 ? snapshot.ChildrenOf(parent) : snapshot.TopLevelQueues;
            foreach (var sibling in siblings)
            {
                if (sibling == q || !books.TryGetTaken(sibling, out var taken))
                {
                    continue;
                }

                var siblingLeft = books.RemainingOr(sibling, start[sibling]);
                foreach (var resource in QueueResourceValues.All)
                {
                    if (QueueResourceValues.Of(taken, resource) == 0 && QueueResourceValues.Of(request, resource) == 0)
                    {
                        continue;
                    }

                    var reclaimerShare = QueueResourceValues.Of(session.Queues.FairShare[q], resource);
                    var siblingShare = QueueResourceValues.Of(session.Queues.FairShare[sibling], resource);
                    var reclaimerRatio = Ratio(QueueResourceValues.Of(withJob, resource), reclaimerShare);
                    var siblingRatio = Ratio(QueueResourceValues.Of(siblingLeft, resource), siblingShare);
                    if (reclaimerRatio > 1 && siblingShare > 0 && reclaimerRatio * saturationMultiplier >= siblingRatio)
                    {
                        return $"queue {snapshot.Queues[q].Name} would be more saturated than queue {snapshot.Queues[sibling].Name} in {QueueResourceValues.KubernetesName(resource)} after reclaiming";
                    }
                }
            }

            // The simulation has placed the reclaimer: its own request is counted once, on the state before the search.
            if (!session.IsPreemptible(preemptor) && !ProportionPlugin.WithinDeserved(session, q, nonPreemptibleAtStart[q] + request))
            {
                return $"queue {snapshot.Queues[q].Name} would exceed its quota with non-preemptible workloads";
            }
        }

        return null;
    }

    /// <summary>
    /// KAI's victim chunks, per victim group: in each pod set the first minimum's worth of its victim pods is
    /// "core", the rest "elastic"; each elastic pod is its own chunk, checked first, then all core pods of the
    /// group — across its pod sets — form one chunk. Pods in <paramref name="uncounted"/> (placed again by the
    /// simulation) keep their place in the split but free nothing; a chunk of such pods only is not checked.
    /// </summary>
    private static IEnumerable<ResourceVector> Chunks(ISessionView session, IEnumerable<int> victimPods, IReadOnlySet<int> uncounted)
    {
        foreach (var byGroup in victimPods.GroupBy(session.Snapshot.GroupOf))
        {
            var sets = session.Snapshot.PodSetsOf(byGroup.Key);
            var core = ResourceVector.Zero;
            var coreCounted = false;
            foreach (var bySet in byGroup.GroupBy(session.Snapshot.PodSetIndexOf))
            {
                var index = 0;
                foreach (var pod in bySet)
                {
                    var isCore = index++ < sets[bySet.Key].MinAvailable;
                    if (uncounted.Contains(pod))
                    {
                        continue;
                    }

                    var request = session.AllocatedOf(pod);
                    if (isCore)
                    {
                        core += request;
                        coreCounted = true;
                    }
                    else
                    {
                        yield return request;
                    }
                }
            }

            if (coreCounted)
            {
                yield return core;
            }
        }
    }

    /// <summary>The victim keeps more than its allocatable share in some resource.</summary>
    private static bool MaintainsFairShare(ISessionView session, int queue, ResourceVector remaining)
    {
        foreach (var resource in QueueResourceValues.All)
        {
            if (!QueueShare.LessEqual(QueueResourceValues.Of(remaining, resource), ProportionPlugin.AllocatableShare(session, queue, resource)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether any victim of <paramref name="victimGroup"/>'s queue could be taken at all: the strategies are checked
    /// before each chunk is subtracted, so if the victim's levelled queue fails them with nothing taken yet, every
    /// scenario containing one of its pods fails. Such groups are left out of the search up front.
    /// </summary>
    public static string? RejectVictim(ISessionView session, int reclaimer, int victimGroup)
    {
        var (levelledReclaimer, levelledVictim) = Levelled(session, reclaimer, victimGroup);
        return RejectWithNothingTaken(session, reclaimer, levelledReclaimer, levelledVictim);
    }

    /// <summary>The reclaimer's and the victim's queues where their paths part (<see cref="QueuePaths.Levelled"/>).</summary>
    public static (int Reclaimer, int Victim) Levelled(ISessionView session, int reclaimer, int victimGroup) =>
        QueuePaths.Levelled(session.Snapshot, session.Snapshot.QueueOf(reclaimer), session.Snapshot.QueueOf(victimGroup));

    /// <summary>
    /// The same rule for a whole queue subtree: a queue off the reclaimer's path is the levelled victim queue of
    /// every pod group below it, so if it fails the strategies with nothing taken, the subtree gives nothing.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="reclaimer">The reclaiming pod group.</param>
    /// <param name="queue">The victim queue (the root of the subtree).</param>
    /// <param name="texts">The refusal's words kept per queue, or null to write them at every refusal.</param>
    public static string? RejectVictimQueue(ISessionView session, int reclaimer, int queue, FairShareRefusalTexts? texts = null) =>
        LevelledReclaimerBeside(session, reclaimer, queue) is var levelledReclaimer and >= 0
            ? RejectWithNothingTaken(session, reclaimer, levelledReclaimer, queue, texts)
            : null;

    /// <summary>
    /// The reclaimer's ancestor at <paramref name="queue"/>'s level (its sibling under their common parent), or -1 when
    /// <paramref name="queue"/> is on the reclaimer's path or has no such sibling (the subtree is then not judged as one).
    /// </summary>
    public static int LevelledReclaimerBeside(ISessionView session, int reclaimer, int queue)
    {
        var snapshot = session.Snapshot;
        var reclaimerLeaf = snapshot.QueueOf(reclaimer);
        if (snapshot.QueueAndAncestors(reclaimerLeaf).Contains(queue))
        {
            return -1;
        }

        var parent = snapshot.ParentOf(queue);
        foreach (var q in snapshot.QueueAndAncestors(reclaimerLeaf))
        {
            if (snapshot.ParentOf(q) == parent)
            {
                return q;
            }
        }

        return -1;
    }

    /// <summary>Both strategies for a levelled pair before any victim is subtracted: null, or why nothing may be taken.</summary>
    public static string? RejectWithNothingTaken(ISessionView session, int reclaimer, int levelledReclaimer, int levelledVictim, FairShareRefusalTexts? texts = null)
    {
        var remaining = session.Queues.Allocated[levelledVictim];
        var request = session.Quantum.InitRequest(reclaimer).QueueResources;
        return MaintainsFairShare(session, levelledVictim, remaining)
            || GuaranteesDeservedQuota(session, session.Queues.Allocated[levelledReclaimer], levelledReclaimer, levelledVictim, remaining, request)
            ? null
            : texts?.Of(session, levelledVictim) ?? DropsBelowFairShare(session.Snapshot.Queues[levelledVictim].Name);
    }

    /// <summary>The words of the refusal to take anything from <paramref name="queue"/>.</summary>
    public static string DropsBelowFairShare(string queue) => $"in queue {queue}, which would drop below its fair share";

    /// <summary>The reclaimer stays within its quota with the job, and the victim keeps more than its quota in some resource.</summary>
    private static bool GuaranteesDeservedQuota(ISessionView session, ResourceVector reclaimerAllocated, int reclaimer, int victim, ResourceVector remaining, ResourceVector request) =>
        ProportionPlugin.WithinDeserved(session, reclaimer, reclaimerAllocated + request)
        && !ProportionPlugin.WithinDeserved(session, victim, remaining);

    private static bool LessEqualAll(ResourceVector amount, ResourceVector bound) =>
        amount.Cpu <= bound.Cpu && amount.Memory <= bound.Memory && amount.Gpu <= bound.Gpu;

    private static double Ratio(long allocated, long share) =>
        share == 0 ? (allocated > 0 ? double.PositiveInfinity : 0) : allocated / (double)share;

    private static string Describe(ResourceVector amount) =>
        $"{QueueResourceValues.Format(QueueResource.Gpu, amount.Gpu)}, {QueueResourceValues.Format(QueueResource.Cpu, amount.Cpu)}, {QueueResourceValues.Format(QueueResource.Memory, amount.Memory)}";
}
