using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Model;
using PodGroup = Kai.Cluster.Crds.PodGroup;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>The events a cycle records for people, KAI's reasons and texts: Pipelined, Evict, StaleJob, NotReady, Unschedulable.</summary>
internal sealed class SchedulingEventWriter(ICluster cluster)
{
    /// <summary>
    /// The evicted group last read and the event reference made from it. A cycle's evictions come gang by gang and the
    /// embedded cluster hands out its stored (immutable) object, so one reference serves a gang's events; another
    /// backend's read makes a new object each time, which only misses. Swapped whole: evictions are written concurrently.
    /// </summary>
    private GroupReference? _lastEvicted;

    /// <summary>
    /// Whether an Evict event is made the cheap way (its message written at once, one reference per group; on): the
    /// same event either way. Off: formatted in parts and referenced afresh, as before, for the test that compares both.
    /// </summary>
    internal bool WritesEvictionsCheaply { get; init; } = true;

    public async ValueTask PipelinedAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<V1Pod>(decision.Pod.Namespace, decision.Pod.Name, cancellationToken).ConfigureAwait(false) is { } pod)
        {
            await RecordAsync(pod, EventType.Normal, "Pipelined",
                $"Pod {decision.Pod} is pipelined to node {decision.Node}: it binds once capacity being released there is free.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>On the pod's group: which action evicted the pod, and for whom or why.</summary>
    public async ValueTask EvictedAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<PodGroup>(decision.Group.Namespace, decision.Group.Name, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return;
        }

        if (WritesEvictionsCheaply)
        {
            var record = new EventRecord(ReferenceTo(group), EventType.Normal, EvictReason, EvictedMessage(decision), KaiConventions.SchedulerName);
            await cluster.RecordEventAsync(record, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var why = decision.Preemptor is { } preemptor ? $" to make room for pod group {preemptor}" : decision.Cause is { } cause ? $": {cause}" : string.Empty;
            await RecordAsync(group, EventType.Normal, EvictReason, $"Pod {decision.Pod} was evicted by {ActionNames.Of(decision.Action)}{why}.", cancellationToken).ConfigureAwait(false);
        }
    }

    private const string EvictReason = "Evict";

    /// <summary>The Evict event's text, written in one string (the keys write themselves into it; the reason's part is not made apart).</summary>
    internal static string EvictedMessage(SchedulingDecision decision)
    {
        var action = ActionNames.Of(decision.Action);
        return decision.Preemptor is { } preemptor
            ? $"Pod {decision.Pod} was evicted by {action} to make room for pod group {preemptor}."
            : decision.Cause is { } cause
                ? $"Pod {decision.Pod} was evicted by {action}: {cause}."
                : $"Pod {decision.Pod} was evicted by {action}.";
    }

    /// <summary>The reference to <paramref name="group"/> an event carries: the last one made when it is the same object.</summary>
    private V1ObjectReference ReferenceTo(PodGroup group)
    {
        var last = _lastEvicted;
        if (last is not null && ReferenceEquals(last.Group, group))
        {
            return last.Reference;
        }

        var reference = KubeObjects.ReferenceTo(group, cluster.Kinds);
        _lastEvicted = new GroupReference(group, reference);
        return reference;
    }

    private sealed record GroupReference(PodGroup Group, V1ObjectReference Reference);

    public async ValueTask StaleAsync(PodGroupKey stale, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<PodGroup>(stale.Namespace, stale.Name, cancellationToken).ConfigureAwait(false) is { } group)
        {
            await RecordAsync(group, EventType.Warning, "StaleJob",
                $"Pod group {stale} ran with fewer than its minimum of pods for longer than the staleness grace period; its pods were evicted.", cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask NotReadyAsync(PodGroup group, GroupExplanation explanation, CancellationToken cancellationToken) =>
        RecordAsync(group, EventType.Normal, "NotReady", $"Job is {explanation.Message}", cancellationToken);

    public ValueTask UnschedulableAsync(PodGroup group, GroupExplanation explanation, CancellationToken cancellationToken) =>
        RecordAsync(group, EventType.Warning, "Unschedulable", explanation.FullMessage, cancellationToken);

    public ValueTask PodUnschedulableAsync(V1Pod pod, string message, CancellationToken cancellationToken) =>
        RecordAsync(pod, EventType.Warning, "Unschedulable", message, cancellationToken);

    private async ValueTask RecordAsync(IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message, CancellationToken cancellationToken) =>
        await cluster.RecordEventAsync(KaiConventions.SchedulerName, regarding, type, reason, message, cancellationToken).ConfigureAwait(false);
}
