using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Dra;
using Kai.Scheduling;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;
using PodGroup = Kai.Cluster.Crds.PodGroup;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>
/// Writes a cycle's outcome back the KAI way, through six parts with one job each: bind requests
/// (<see cref="BindRequestWriter"/>), evictions (<see cref="EvictionWriter"/>), pod group annotations
/// (<see cref="PodGroupAnnotationWriter"/>), events (<see cref="SchedulingEventWriter"/>), pod group scheduling
/// conditions (<see cref="PodGroupConditionWriter"/>) and pod conditions (<see cref="PodConditionWriter"/>). This
/// class decides what to write when, and writes only what changed, so a steady cluster costs little. Queue status is
/// not the scheduler's to write: as in KAI, the queue controller (<c>QueueStatusController</c>) owns it, and two
/// writers with different figures would overwrite each other. A write the cluster refuses is logged as an error and the others go on:
/// the next cycle sees the object as it is and decides again.
/// </summary>
internal sealed partial class DecisionWriter
{
    /// <summary>Decision writes in flight at once: their round trips overlap against an API server (see <see cref="ConcurrentWrites"/>).</summary>
    private const int WriteConcurrency = 16;

    private readonly BindRequestWriter _bindRequests;
    private readonly EvictionWriter _evictions;
    private readonly PodGroupAnnotationWriter _annotations;
    private readonly SchedulingEventWriter _events;
    private readonly PodGroupConditionWriter _groupConditions;
    private readonly PodConditionWriter _podConditions;
    private readonly ICluster _cluster;
    private readonly Dictionary<PodGroupKey, string> _lastGroupMessage = [];
    private readonly ILogger _logger;

    public DecisionWriter(ICluster cluster, TimeProvider time, EvictionMode eviction = EvictionMode.Delete, ILogger? logger = null)
    {
        _cluster = cluster;
        _logger = logger ?? NullLogger.Instance;
        _bindRequests = new BindRequestWriter(cluster);
        _evictions = new EvictionWriter(cluster, eviction);
        _annotations = new PodGroupAnnotationWriter(cluster, time);
        _events = new SchedulingEventWriter(cluster);
        _groupConditions = new PodGroupConditionWriter(cluster, time);
        _podConditions = new PodConditionWriter(cluster, _events, time);
    }

    /// <summary>
    /// What the next cycle depends on, written before the cycle ends: bind requests, evictions, and the pod group
    /// annotations that min-runtime, stale-gang eviction and the preemption delay read back.
    /// </summary>
    public ValueTask WriteDecisionsAsync(ClusterSnapshot snapshot, CycleResult result, CancellationToken cancellationToken) =>
        WriteDecisionsAsync(snapshot, result, written: 0, cancellationToken);

    /// <summary>
    /// <see cref="WriteDecisionsAsync(ClusterSnapshot, CycleResult, CancellationToken)"/> when the first
    /// <paramref name="written"/> decisions are written already (<see cref="OverlappedWriteBack"/>): the others, then the annotations.
    /// </summary>
    internal async ValueTask WriteDecisionsAsync(ClusterSnapshot snapshot, CycleResult result, int written, CancellationToken cancellationToken)
    {
        // The claims' allocations are read first (the session chose the devices); then each decision is about a
        // different pod, so their writes are independent of one another.
        var decisions = written == 0 ? result.Decisions : result.Decisions.Skip(written).ToArray();
        var claims = await ClaimAllocationsAsync(snapshot, decisions, cancellationToken).ConfigureAwait(false);
        await WriteBindsAndEvictionsAsync(decisions, claims, cancellationToken).ConfigureAwait(false);

        foreach (var started in result.StartedGroups)
        {
            await GuardAsync(_annotations.MarkStartedAsync(started, cancellationToken), "last-start annotation", started).ConfigureAwait(false);
        }

        foreach (var (group, since) in result.StaleSince)
        {
            await GuardAsync(_annotations.SetStaleSinceAsync(group, since, cancellationToken), "stale-since annotation", group).ConfigureAwait(false);
        }

        await MarkEvictedGroupsAsync(result.Decisions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Restarts the preemption delay of each group with an eviction among <paramref name="decisions"/>, as KAI does when a group's pods are evicted.</summary>
    internal async ValueTask MarkEvictedGroupsAsync(IEnumerable<SchedulingDecision> decisions, CancellationToken cancellationToken)
    {
        foreach (var evicted in decisions.Where(d => d.Kind == DecisionKind.Evict).Select(d => d.Group).Distinct())
        {
            await GuardAsync(_annotations.MarkEvictedAsync(evicted, cancellationToken), "last-eviction annotation", evicted).ConfigureAwait(false);
        }
    }

    /// <summary>Logs what went wrong writing a failed cycle's early decisions (the cycle's own failure is what its caller reports).</summary>
    internal void LogAbandonedWriteFailed(Exception failure) => LogAbandonedWriteFailed(_logger, failure.GetType().Name, failure.Message);

    /// <summary>
    /// Writes the decisions in order: each run of binds as one batch of bind requests
    /// (<c>ICluster.CreateManyAsync</c>), evictions up to <see cref="WriteConcurrency"/> at a time. A refusal is logged and the others go on.
    /// </summary>
    internal async ValueTask WriteBindsAndEvictionsAsync(IReadOnlyList<SchedulingDecision> decisions, Dictionary<PodKey, IList<ResourceClaimAllocation>>? claims, CancellationToken cancellationToken)
    {
        for (var start = 0; start < decisions.Count;)
        {
            var binds = decisions[start].Kind == DecisionKind.Bind;
            var end = start + 1;
            while (end < decisions.Count && (decisions[end].Kind == DecisionKind.Bind) == binds)
            {
                end++;
            }

            var run = start == 0 && end == decisions.Count ? decisions : decisions.Skip(start).Take(end - start).ToArray();
            if (binds)
            {
                await _bindRequests.WriteManyAsync(
                    run,
                    d => claims?.GetValueOrDefault(d.Pod),
                    (d, e) => LogWriteFailed(_logger, "bind request", $"pod {d.Pod}", e.Reason, e.Message),
                    cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ConcurrentWrites.ForEachAsync(run, WriteConcurrency, (decision, ct) => WriteDecisionGuardedAsync(decision, claims, ct), cancellationToken).ConfigureAwait(false);
            }

            start = end;
        }
    }

    /// <summary>Writes one decision; a refusal by the cluster is logged, and the other decisions go on.</summary>
    private async ValueTask WriteDecisionGuardedAsync(SchedulingDecision decision, Dictionary<PodKey, IList<ResourceClaimAllocation>>? claims, CancellationToken cancellationToken)
    {
        try
        {
            await WriteDecisionAsync(decision, claims, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogWriteFailed(_logger, decision.Kind == DecisionKind.Bind ? "bind request" : "eviction", $"pod {decision.Pod}", e.Reason, e.Message);
        }
    }

    /// <summary>The claim allocations of the pods with DRA claims that the cycle binds, by pod (null when none has claims).</summary>
    private async ValueTask<Dictionary<PodKey, IList<ResourceClaimAllocation>>?> ClaimAllocationsAsync(ClusterSnapshot snapshot, IReadOnlyList<SchedulingDecision> decisions, CancellationToken cancellationToken)
    {
        Dictionary<PodKey, IList<ResourceClaimAllocation>>? byPod = null;

        // A gang's decisions come one after another: its group is looked up once for them, and its members are
        // searched for the decision's pod only when one of them has claims (most groups have none).
        var lastGroup = (Key: default(PodGroupKey), Index: -1, AnyClaims: false);
        foreach (var decision in decisions)
        {
            if (decision.Kind != DecisionKind.Bind)
            {
                continue;
            }

            if (lastGroup.Index < 0 || lastGroup.Key != decision.Group)
            {
                var index = snapshot.FindGroup(decision.Group);
                lastGroup = (decision.Group, index, AnyMemberHasClaims(snapshot, index));
            }

            if (lastGroup.AnyClaims
                && HasClaims(snapshot, lastGroup.Index, decision)
                && await ClaimAllocationsAsync(decision, cancellationToken).ConfigureAwait(false) is { } allocations)
            {
                (byPod ??= [])[decision.Pod] = allocations;
            }
        }

        return byPod;
    }

    private static bool AnyMemberHasClaims(ClusterSnapshot snapshot, int group)
    {
        if (group < 0)
        {
            return false;
        }

        foreach (var member in snapshot.MembersOf(group))
        {
            if (snapshot.Pods[member].Claims.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the pod a decision places has DRA claims, found through its group (reading every pod of a large cluster per cycle cost 5 % of it).</summary>
    private static bool HasClaims(ClusterSnapshot snapshot, int group, SchedulingDecision decision)
    {
        if (group < 0)
        {
            return false;
        }

        foreach (var member in snapshot.MembersOf(group))
        {
            var pod = snapshot.Pods[member];
            if (pod.Key == decision.Pod)
            {
                return pod.Claims.Count > 0;
            }
        }

        return false;
    }

    /// <summary>
    /// The allocations of a placed pod's claims on its node, for its bind request (KAI's resourceClaimAllocations): an
    /// allocated claim keeps its allocation; another gets the devices the session gave it (<see cref="SchedulingDecision.Claims"/>).
    /// </summary>
    private async ValueTask<IList<ResourceClaimAllocation>?> ClaimAllocationsAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        if (await _cluster.GetAsync<V1Pod>(decision.Pod.Namespace, decision.Pod.Name, cancellationToken).ConfigureAwait(false) is not { } pod)
        {
            return null;
        }

        var allocations = new List<ResourceClaimAllocation>();
        foreach (var reference in pod.Spec?.ResourceClaims ?? [])
        {
            if (DraNames.ClaimNameOf(pod, reference) is not { } name
                || await _cluster.GetAsync<Resourcev1ResourceClaim>(decision.Pod.Namespace, name, cancellationToken).ConfigureAwait(false) is not { } claim)
            {
                continue;
            }

            var key = $"{decision.Pod.Namespace}/{name}";
            var granted = decision.Claims.FirstOrDefault(g => g.Claim == key);
            if ((claim.Status?.Allocation ?? (granted is null ? null : AllocationResults.Of(granted))) is { } allocation)
            {
                allocations.Add(new ResourceClaimAllocation { Name = reference.Name, Allocation = allocation });
            }
        }

        return allocations;
    }

    private async ValueTask WriteDecisionAsync(SchedulingDecision decision, Dictionary<PodKey, IList<ResourceClaimAllocation>>? claims, CancellationToken cancellationToken)
    {
        switch (decision.Kind)
        {
            case DecisionKind.Bind:
                await _bindRequests.WriteAsync(decision, claims?.GetValueOrDefault(decision.Pod), cancellationToken).ConfigureAwait(false);
                break;
            case DecisionKind.Evict when await _evictions.WriteAsync(decision, cancellationToken).ConfigureAwait(false):
                await _events.EvictedAsync(decision, cancellationToken).ConfigureAwait(false);
                break;
            default:
                // Nothing is persisted for a pipelined pod; its event is written with the status.
                break;
        }
    }

    /// <summary>
    /// What reports the cycle to people, written after it (as KAI's status updater does, asynchronously): events,
    /// pod group scheduling conditions and pod conditions.
    /// </summary>
    public async Task WriteStatusAsync(ClusterSnapshot snapshot, CycleResult result, CancellationToken cancellationToken)
    {
        foreach (var decision in result.Decisions.Where(d => d.Kind == DecisionKind.Pipeline))
        {
            await GuardAsync(_events.PipelinedAsync(decision, cancellationToken), "Pipelined event", decision.Group).ConfigureAwait(false);
        }

        foreach (var stale in result.StaleGroups)
        {
            await GuardAsync(_events.StaleAsync(stale, cancellationToken), "StaleJob event", stale).ConfigureAwait(false);
        }

        var placedGroups = result.Decisions.Where(d => d.Kind != DecisionKind.Evict).Select(d => d.Group).ToHashSet();
        foreach (var explanation in result.Explanations)
        {
            await GuardAsync(ExplainAsync(snapshot, explanation, placedGroups.Contains(explanation.Group), cancellationToken), "scheduling condition", explanation.Group).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits one write about a pod group; a refusal by the cluster is logged, not thrown.</summary>
    private async ValueTask GuardAsync(ValueTask write, string what, PodGroupKey group)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            LogWriteFailed(_logger, what, $"pod group {group}", e.Reason, e.Message);
        }
    }

    /// <summary>
    /// Tells why a group waits: a NotReady event once per change; otherwise an Unschedulable event, the scheduling
    /// condition when the message changed and the group has no active pods, and the pending pods' conditions.
    /// </summary>
    private async ValueTask ExplainAsync(ClusterSnapshot snapshot, GroupExplanation explanation, bool placedThisCycle, CancellationToken cancellationToken)
    {
        var message = $"{explanation.Reason}: {explanation.FullMessage}";
        var changed = !_lastGroupMessage.TryGetValue(explanation.Group, out var previous) || previous != message;
        var notReady = explanation.Reason == GroupExplanation.NotReady;
        if (notReady && !changed)
        {
            // Reported already; nothing to read or write.
            return;
        }

        if (await _cluster.GetAsync<PodGroup>(explanation.Group.Namespace, explanation.Group.Name, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return;
        }

        _lastGroupMessage[explanation.Group] = message;
        if (notReady)
        {
            await _events.NotReadyAsync(group, explanation, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _events.UnschedulableAsync(group, explanation, cancellationToken).ConfigureAwait(false);
        var g = snapshot.FindGroup(explanation.Group);
        var hasActivePods = placedThisCycle || (g >= 0 && snapshot.MembersOf(g).Any(p => snapshot.Pods[p].Status.IsActiveAllocated()));
        if (!hasActivePods && changed && !await _groupConditions.WriteAsync(group, explanation, cancellationToken).ConfigureAwait(false))
        {
            _lastGroupMessage.Remove(explanation.Group);
        }

        if (g >= 0 && snapshot.Groups[g].MarkUnschedulable)
        {
            foreach (var p in snapshot.MembersOf(g))
            {
                var pod = snapshot.Pods[p];
                if (pod.Status == PodStatus.Pending && pod.IsScheduledByUs)
                {
                    await _podConditions.MarkUnschedulableAsync(pod.Key, explanation.FullMessage, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
