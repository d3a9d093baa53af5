using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Properties;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>
/// What must hold after every cycle of a disruptive run, checked from the cycle's input and decisions alone
/// (not the engine's books). Each check returns the violations it found as text, empty when it holds.
/// </summary>
internal static class DisruptionInvariants
{
    private const long Unlimited = QueueResourceSettings.Unlimited;

    /// <summary>Every eviction but stale-gang ones has a cause whose pods the same statement placed (pipelined, never bound).</summary>
    public static IEnumerable<string> EvictionsComeWithTheirPreemptor(CycleRecord cycle)
    {
        foreach (var statement in CommittedStatement.Of(cycle.Result).Where(s => s.Action != ActionKind.StaleGangEviction && s.Evictions.Any()))
        {
            if (statement.Cause is null || statement.Evictions.Any(e => Cycles.CauseOf(e) != statement.Cause))
            {
                yield return $"{ActionNames.Of(statement.Action)} statement at decision {statement.First} evicts without one cause: {Texts(statement)}";
                continue;
            }

            if (!statement.PreemptorPlacements.Any())
            {
                yield return $"{ActionNames.Of(statement.Action)} evicts for {statement.Cause} but does not place it: {Texts(statement)}";
            }

            if (statement.Decisions.Any(d => d.Kind == DecisionKind.Bind))
            {
                yield return $"{ActionNames.Of(statement.Action)} binds in its eviction statement (the preemptor must wait pipelined): {Texts(statement)}";
            }
        }
    }

    /// <summary>Preempt stays in the preemptor's queue and takes only preemptible groups of strictly lower priority.</summary>
    public static IEnumerable<string> PreemptTakesOnlyLowerPriorityInItsQueue(CycleRecord cycle)
    {
        var snapshot = cycle.Snapshot;
        foreach (var statement in CommittedStatement.Of(cycle.Result).Where(s => s.Action == ActionKind.Preempt && s.Cause is not null))
        {
            var preemptor = GroupByKey(snapshot, statement.Cause!);
            foreach (var eviction in statement.Evictions)
            {
                var victim = GroupOfPod(snapshot, eviction.Pod);
                var v = snapshot.Groups[victim];
                var p = snapshot.Groups[preemptor];
                if (snapshot.QueueOf(victim) != snapshot.QueueOf(preemptor) || v.Priority >= p.Priority || !v.Preemptible)
                {
                    yield return $"preempt for {p.Key} (queue {p.QueueName}, priority {p.Priority}) evicted {eviction.Pod} of {v.Key} (queue {v.QueueName}, priority {v.Priority}, preemptible {v.Preemptible})";
                }
            }
        }
    }

    /// <summary>Reclaim takes only preemptible groups of other queues.</summary>
    public static IEnumerable<string> ReclaimTakesOnlyPreemptibleWorkOfOtherQueues(CycleRecord cycle)
    {
        var snapshot = cycle.Snapshot;
        foreach (var statement in CommittedStatement.Of(cycle.Result).Where(s => s.Action == ActionKind.Reclaim && s.Cause is not null))
        {
            var reclaimer = GroupByKey(snapshot, statement.Cause!);
            foreach (var eviction in statement.Evictions)
            {
                var victim = GroupOfPod(snapshot, eviction.Pod);
                if (snapshot.QueueOf(victim) == snapshot.QueueOf(reclaimer) || !snapshot.Groups[victim].Preemptible)
                {
                    yield return $"reclaim for {statement.Cause} evicted {eviction.Pod} (queue {snapshot.Groups[victim].QueueName}, preemptible {snapshot.Groups[victim].Preemptible})";
                }
            }
        }
    }

    /// <summary>
    /// Spec §3.5, as a necessary condition: reclaim checks each chunk <em>before</em> subtracting it, starting from
    /// the levelled victim queue's allocation when the search began. So a levelled victim queue that held no more
    /// than its allocatable share (max(deserved, fair share), capped by its limit) in every resource gives nothing,
    /// unless the levelled reclaimer stays within its deserved quota with the job (checked only when
    /// <paramref name="checkReclaimerQuota"/>) and the victim held more than its deserved quota in some resource.
    /// </summary>
    /// <remarks>
    /// So reclaim may take a queue below its deserved quota (a whole gang is one chunk, checked before it is
    /// subtracted); what it may not do is start taking from a queue that is within both its share and its quota.
    /// </remarks>
    public static IEnumerable<string> ReclaimTakesOnlyFromQueuesAboveTheirShareOrQuota(CycleRecord cycle, bool allowConsolidatingReclaim, bool checkReclaimerQuota = true)
    {
        var snapshot = cycle.Snapshot;
        var figures = cycle.Result.Queues.ToDictionary(q => q.Queue.Name, StringComparer.Ordinal);
        var allocated = AllocationAtStart(snapshot);
        var active = Enumerable.Range(0, snapshot.Pods.Count).Select(p => snapshot.Pods[p].Status.IsActiveAllocated()).ToArray();
        var podByKey = PodIndex(snapshot);
        foreach (var statement in CommittedStatement.Of(cycle.Result))
        {
            if (statement.Action == ActionKind.Reclaim && statement.Cause is not null && statement.Evictions.Any())
            {
                var reclaimer = GroupByKey(snapshot, statement.Cause);
                var reclaimerLeaf = snapshot.QueueOf(reclaimer);
                var request = statement.PreemptorPlacements.Aggregate(ResourceVector.Zero, (sum, d) => sum + snapshot.Pods[podByKey[d.Pod]].Request.QueueResources);
                var moved = statement.Moved;
                var victimQueues = statement.Evictions
                    .Where(e => !allowConsolidatingReclaim || !moved.Contains(e.Pod))
                    .Select(e => snapshot.QueueOf(GroupOfPod(snapshot, e.Pod)))
                    .Distinct();
                foreach (var victimLeaf in victimQueues)
                {
                    var (levelledReclaimer, levelledVictim) = Levelled(snapshot, reclaimerLeaf, victimLeaf);
                    var victim = snapshot.Queues[levelledVictim];
                    var held = allocated[levelledVictim];
                    var fairShare = figures[victim.Name].FairShare;
                    var aboveShare = Resources.Any(r => !LessEqual(Of(held, r), AllocatableShare(victim[r], Of(fairShare, r))));
                    var reclaimerWithinQuota = !checkReclaimerQuota || Resources.All(r => LessEqual(Of(allocated[levelledReclaimer] + request, r), snapshot.Queues[levelledReclaimer][r].Quota));
                    var aboveQuota = Resources.Any(r => !LessEqual(Of(held, r), victim[r].Quota));
                    if (!aboveShare && !(reclaimerWithinQuota && aboveQuota))
                    {
                        yield return $"reclaim for {statement.Cause} ({snapshot.Queues[reclaimerLeaf].Name}, request {request}) took from {snapshot.Queues[victimLeaf].Name}: levelled queue {victim.Name} " +
                            $"held {held} with fair share {fairShare}, quota gpu {victim.Gpu.Quota}; levelled reclaimer {snapshot.Queues[levelledReclaimer].Name} held {allocated[levelledReclaimer]}";
                    }
                }
            }

            Apply(snapshot, statement, allocated, active, podByKey);
        }
    }

    /// <summary>Consolidation only moves: every pod it evicts is placed again in the same statement, all preemptible, within the bound.</summary>
    public static IEnumerable<string> ConsolidationKeepsEveryPodRunning(CycleRecord cycle, int maxVictimGroups)
    {
        var snapshot = cycle.Snapshot;
        foreach (var statement in CommittedStatement.Of(cycle.Result).Where(s => s.Action == ActionKind.Consolidation && s.Cause is not null))
        {
            var moved = statement.Moved;
            foreach (var eviction in statement.Evictions.Where(e => !moved.Contains(e.Pod)))
            {
                yield return $"consolidation for {statement.Cause} evicted {eviction.Pod} without placing it again: {Texts(statement)}";
            }

            var victims = statement.Evictions.Select(e => GroupOfPod(snapshot, e.Pod)).Distinct().ToList();
            if (victims.Count > maxVictimGroups)
            {
                yield return $"consolidation for {statement.Cause} moved {victims.Count} groups, more than {maxVictimGroups}";
            }

            if (victims.Any(v => !snapshot.Groups[v].Preemptible) || !snapshot.Groups[GroupByKey(snapshot, statement.Cause!)].Preemptible)
            {
                yield return $"consolidation for {statement.Cause} involves a non-preemptible group: {Texts(statement)}";
            }
        }
    }

    /// <summary>Victims were running before the cycle, and no group that got pods earlier in the cycle loses any (deliberate rule).</summary>
    public static IEnumerable<string> VictimsAreRunningGroupsUntouchedThisCycle(CycleRecord cycle)
    {
        var snapshot = cycle.Snapshot;
        var podByKey = PodIndex(snapshot);
        var placedGroups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in CommittedStatement.Of(cycle.Result))
        {
            foreach (var eviction in statement.Evictions)
            {
                var pod = snapshot.Pods[podByKey[eviction.Pod]];
                if (!pod.Status.IsActiveAllocated())
                {
                    yield return $"{ActionNames.Of(statement.Action)} evicted {eviction.Pod}, which was {pod.Status} at the start of the cycle";
                }

                var group = eviction.Group.ToString();
                if (statement.Action != ActionKind.StaleGangEviction && placedGroups.Contains(group))
                {
                    yield return $"{ActionNames.Of(statement.Action)} evicted {eviction.Pod} of {group}, which got pods earlier in this cycle";
                }
            }

            var moved = statement.Moved;
            foreach (var placement in statement.Decisions.Where(d => d.Kind != DecisionKind.Evict && !moved.Contains(d.Pod)))
            {
                placedGroups.Add(placement.Group.ToString());
            }
        }
    }

    /// <summary>
    /// Min-runtime (spec §11): a protected non-elastic group is never a preempt/reclaim victim; a protected elastic
    /// one is never taken below its minimum in a pod set (one already below it may have pods moved, not lost).
    /// </summary>
    public static IEnumerable<string> MinRuntimeProtectsRecentlyStartedGroups(CycleRecord cycle, MinRuntimeOptions options)
    {
        var snapshot = cycle.Snapshot;
        var podByKey = PodIndex(snapshot);
        var active = Enumerable.Range(0, snapshot.Pods.Count).Select(p => snapshot.Pods[p].Status.IsActiveAllocated()).ToArray();
        foreach (var statement in CommittedStatement.Of(cycle.Result))
        {
            var before = (bool[])active.Clone();
            foreach (var decision in statement.Decisions)
            {
                active[podByKey[decision.Pod]] = decision.Kind != DecisionKind.Evict;
            }

            if (statement.Action is not (ActionKind.Preempt or ActionKind.Reclaim) || statement.Cause is null)
            {
                continue;
            }

            var preemptor = GroupByKey(snapshot, statement.Cause);
            foreach (var victim in statement.Evictions.Select(e => GroupOfPod(snapshot, e.Pod)).Distinct())
            {
                if (ProtectedUntil(snapshot, options, statement.Action, preemptor, victim) is not { } until)
                {
                    continue;
                }

                var sets = snapshot.PodSetsOf(victim);
                var elastic = sets.Any(s => s.MinAvailable < s.Members.Length);
                if (!elastic)
                {
                    yield return $"{ActionNames.Of(statement.Action)} for {statement.Cause} evicted {snapshot.Groups[victim].Key}, protected until {until:HH:mm:ss}";
                }
                else if (sets.Any(s => s.Members.Count(p => active[p]) is var after && after < s.MinAvailable && after < s.Members.Count(p => before[p])))
                {
                    yield return $"{ActionNames.Of(statement.Action)} for {statement.Cause} took protected elastic {snapshot.Groups[victim].Key} below its minimum";
                }
            }
        }
    }

    /// <summary>
    /// Spec §2.5, §4.2–4.3: reclaim, preempt and consolidation take a victim gang whole or not below its minimum —
    /// after each of their statements, every pod set of a victim group that was at or above its minimum has either
    /// no active pod left or at least its minimum (moved pods count as active).
    /// </summary>
    public static IEnumerable<string> VictimGangsAreNeverSplitBelowTheirMinimum(CycleRecord cycle)
    {
        var snapshot = cycle.Snapshot;
        var podByKey = PodIndex(snapshot);
        var active = Enumerable.Range(0, snapshot.Pods.Count).Select(p => snapshot.Pods[p].Status.IsActiveAllocated()).ToArray();
        foreach (var statement in CommittedStatement.Of(cycle.Result))
        {
            var before = (bool[])active.Clone();
            foreach (var decision in statement.Decisions)
            {
                active[podByKey[decision.Pod]] = decision.Kind != DecisionKind.Evict;
            }

            if (statement.Action == ActionKind.StaleGangEviction)
            {
                continue;
            }

            foreach (var victim in statement.Evictions.Select(e => GroupOfPod(snapshot, e.Pod)).Distinct())
            {
                foreach (var set in snapshot.PodSetsOf(victim))
                {
                    var had = set.Members.Count(p => before[p]);
                    var has = set.Members.Count(p => active[p]);
                    if (had >= set.MinAvailable && has > 0 && has < set.MinAvailable)
                    {
                        yield return $"{ActionNames.Of(statement.Action)} for {statement.Cause} left {snapshot.Groups[victim].Key} set {set.Name} with {has} of {had} active pods, below its minimum {set.MinAvailable}: {Texts(statement)}";
                    }
                }
            }
        }
    }

    /// <summary>Stale-gang evictions happen only with a non-negative grace period that has passed since the stamp.</summary>
    public static IEnumerable<string> StaleGangsAreEvictedOnlyAfterTheGracePeriod(CycleRecord cycle, TimeSpan grace)
    {
        var snapshot = cycle.Snapshot;
        foreach (var eviction in cycle.Result.Decisions.Where(d => d.Action == ActionKind.StaleGangEviction && d.Kind == DecisionKind.Evict))
        {
            var group = snapshot.Groups[GroupOfPod(snapshot, eviction.Pod)];
            var since = group.StaleSince ?? snapshot.Now;
            if (grace < TimeSpan.Zero || snapshot.Now < since + grace || !cycle.Result.StaleGroups.Contains(group.Key))
            {
                yield return $"stale-gang eviction of {eviction.Pod} at {snapshot.Now:HH:mm:ss}: stamp {group.StaleSince:HH:mm:ss}, grace {grace.TotalSeconds}s";
            }
        }
    }

    /// <summary>
    /// No node holds more than it has: neither the pods physically on it (running, bound now, terminating) nor
    /// the pods it will hold once terminating pods are gone (those kept, bound or pipelined there).
    /// </summary>
    /// <remarks>
    /// Replayed per pod rather than read off the last decision: a moved pod (evict + pipeline) still sits on its
    /// old node while it terminates, and a later eviction of a pod pipelined this cycle cancels that promise.
    /// </remarks>
    public static IEnumerable<string> NoNodeIsOverCommitted(CycleRecord cycle)
    {
        var snapshot = cycle.Snapshot;
        var podByKey = PodIndex(snapshot);
        var physical = new int[snapshot.Pods.Count];
        var promised = new int[snapshot.Pods.Count];
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            var status = snapshot.Pods[p].Status;
            physical[p] = status.IsActiveUsed() ? snapshot.NodeOf(p) : -1;
            promised[p] = status.IsActiveAllocated() ? snapshot.NodeOf(p) : -1;
        }

        foreach (var decision in cycle.Result.Decisions)
        {
            var p = podByKey[decision.Pod];
            var node = decision.Node is { } name ? snapshot.FindNode(name) : -1;
            switch (decision.Kind)
            {
                case DecisionKind.Evict:
                    promised[p] = -1;
                    break;
                case DecisionKind.Bind:
                    physical[p] = node;
                    promised[p] = node;
                    break;
                default:
                    promised[p] = node;
                    break;
            }
        }

        for (var n = 0; n < snapshot.Nodes.Count; n++)
        {
            var allocatable = snapshot.Nodes[n].Allocatable;
            var holding = Sum(snapshot, physical, n);
            var after = Sum(snapshot, promised, n);
            if (!holding.FitsIn(allocatable) || !after.FitsIn(allocatable))
            {
                yield return $"node {snapshot.Nodes[n].Name}: holding {holding}, promised {after}, allocatable {allocatable}";
            }
        }
    }

    /// <summary>Each pod is evicted at most once per cycle.</summary>
    public static IEnumerable<string> NoPodIsEvictedTwice(CycleRecord cycle) =>
        cycle.Result.Decisions.Where(d => d.Kind == DecisionKind.Evict).GroupBy(d => d.Pod).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} is evicted {g.Count()} times: {string.Join("; ", g.Select(Cycles.Text))}");

    /// <summary>No queue ends a cycle above a limit it was within (or further above one it was over).</summary>
    public static IEnumerable<string> NoQueueGoesAboveItsLimit(CycleRecord cycle)
    {
        var snapshot = cycle.Snapshot;
        var initial = FinalState.Initial(snapshot);
        var final = FinalState.After(snapshot, cycle.Result);
        for (var q = 0; q < snapshot.Queues.Count; q++)
        {
            var before = initial.QueueAllocated(q);
            var after = final.QueueAllocated(q);
            foreach (var r in Resources)
            {
                var limit = snapshot.Queues[q][r].Limit;
                if (limit != Unlimited && Of(after, r) > Math.Max(limit, Of(before, r)))
                {
                    yield return $"queue {snapshot.Queues[q].Name} {r}: {Of(after, r)} after the cycle, {Of(before, r)} before, limit {limit}";
                }
            }
        }
    }

    /// <summary>A group that got pods this cycle has at least its minimum active in every pod set.</summary>
    public static IEnumerable<string> NoGangIsPlacedBelowItsMinimum(CycleRecord cycle)
    {
        var snapshot = cycle.Snapshot;
        var final = FinalState.After(snapshot, cycle.Result);
        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            if (!snapshot.MembersOf(g).Any(p => final.PlacedNow[p]))
            {
                continue;
            }

            foreach (var set in snapshot.PodSetsOf(g))
            {
                var active = set.Members.Count(p => final.Status[p].IsActiveAllocated());
                if (active < set.MinAvailable)
                {
                    yield return $"group {snapshot.Groups[g].Key} set {set.Name}: {active} active after placement, minimum {set.MinAvailable}";
                }
            }
        }
    }

    /// <summary>When a victim group is protected now (spec §11), else null.</summary>
    internal static DateTimeOffset? ProtectedUntil(ClusterSnapshot snapshot, MinRuntimeOptions options, ActionKind action, int preemptor, int victim)
    {
        if (snapshot.Groups[victim].LastStartTimestamp is not { } started)
        {
            return null;
        }

        var victimLeaf = snapshot.QueueOf(victim);
        TimeSpan minRuntime;
        if (action == ActionKind.Preempt)
        {
            minRuntime = Ancestry(snapshot, victimLeaf).Select(q => snapshot.Queues[q].PreemptMinRuntime).FirstOrDefault(v => v is not null) ?? options.PreemptMinRuntime;
        }
        else
        {
            var start = options.ReclaimResolveMethod == MinRuntimeResolveMethod.Queue ? victimLeaf : Levelled(snapshot, snapshot.QueueOf(preemptor), victimLeaf).Victim;
            minRuntime = Ancestry(snapshot, start).Select(q => snapshot.Queues[q].ReclaimMinRuntime).FirstOrDefault(v => v is not null) ?? options.ReclaimMinRuntime;
        }

        return snapshot.Now < started + minRuntime ? started + minRuntime : null;
    }

    /// <summary>The first differing queues on the root-down paths of two leaves (computed here, independently of the engine).</summary>
    internal static (int Reclaimer, int Victim) Levelled(ClusterSnapshot snapshot, int reclaimerLeaf, int victimLeaf)
    {
        var reclaimerPath = Ancestry(snapshot, reclaimerLeaf).Reverse().ToList();
        var victimPath = Ancestry(snapshot, victimLeaf).Reverse().ToList();
        for (var i = 0; i < Math.Min(reclaimerPath.Count, victimPath.Count); i++)
        {
            if (reclaimerPath[i] != victimPath[i])
            {
                return (reclaimerPath[i], victimPath[i]);
            }
        }

        return (reclaimerLeaf, victimLeaf);
    }

    private static readonly QueueResource[] Resources = [QueueResource.Cpu, QueueResource.Memory, QueueResource.Gpu];

    private static IEnumerable<int> Ancestry(ClusterSnapshot snapshot, int queue)
    {
        for (var q = queue; q >= 0; q = snapshot.ParentOf(q))
        {
            yield return q;
        }
    }

    /// <summary>Queue allocation (active pods of each queue's subtree) at the start of the cycle.</summary>
    private static ResourceVector[] AllocationAtStart(ClusterSnapshot snapshot)
    {
        var allocated = new ResourceVector[snapshot.Queues.Count];
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            if (snapshot.Pods[p].Status.IsActiveAllocated() && snapshot.GroupOf(p) is var g and >= 0 && snapshot.QueueOf(g) is var leaf and >= 0)
            {
                foreach (var q in Ancestry(snapshot, leaf))
                {
                    allocated[q] += snapshot.Pods[p].Request.QueueResources;
                }
            }
        }

        return allocated;
    }

    /// <summary>Replays a committed statement's decisions on queue allocations: placements add, evictions subtract.</summary>
    private static void Apply(ClusterSnapshot snapshot, CommittedStatement statement, ResourceVector[] allocated, bool[] active, Dictionary<PodKey, int> podByKey)
    {
        foreach (var decision in statement.Decisions)
        {
            var pod = podByKey[decision.Pod];
            var nowActive = decision.Kind != DecisionKind.Evict;
            if (active[pod] == nowActive || snapshot.GroupOf(pod) is not (var g and >= 0) || snapshot.QueueOf(g) is not (var leaf and >= 0))
            {
                active[pod] = nowActive;
                continue;
            }

            active[pod] = nowActive;
            var request = snapshot.Pods[pod].Request.QueueResources;
            foreach (var q in Ancestry(snapshot, leaf))
            {
                allocated[q] = nowActive ? allocated[q] + request : allocated[q] - request;
            }
        }
    }

    private static ResourceVector Sum(ClusterSnapshot snapshot, int[] nodeOf, int node)
    {
        var sum = ResourceVector.Zero;
        for (var p = 0; p < nodeOf.Length; p++)
        {
            if (nodeOf[p] == node)
            {
                sum += snapshot.Pods[p].Request;
            }
        }

        return sum;
    }

    private static double AllocatableShare(QueueResourceSettings settings, long fairShare)
    {
        if (settings.Quota == Unlimited)
        {
            return settings.Limit;
        }

        double share = Math.Max(settings.Quota, fairShare);
        return settings.Limit == Unlimited ? share : Math.Min(settings.Limit, share);
    }

    /// <summary>amount &lt;= bound with -1 as +infinity on either side (spec §14.2).</summary>
    private static bool LessEqual(double amount, double bound) => bound == Unlimited || (amount != Unlimited && amount <= bound);

    private static long Of(ResourceVector v, QueueResource r) => r switch
    {
        QueueResource.Cpu => v.Cpu,
        QueueResource.Memory => v.Memory,
        _ => v.Gpu,
    };

    private static Dictionary<PodKey, int> PodIndex(ClusterSnapshot snapshot) =>
        Enumerable.Range(0, snapshot.Pods.Count).ToDictionary(p => snapshot.Pods[p].Key);

    private static int GroupOfPod(ClusterSnapshot snapshot, PodKey podKey)
    {
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            if (snapshot.Pods[p].Key == podKey)
            {
                return snapshot.GroupOf(p);
            }
        }

        throw new ArgumentException($"No pod {podKey}.", nameof(podKey));
    }

    private static int GroupByKey(ClusterSnapshot snapshot, string key) => snapshot.FindGroup(PodGroupKey.Parse(key));

    private static string Texts(CommittedStatement statement) => string.Join("; ", statement.Decisions.Select(Cycles.Text));
}
