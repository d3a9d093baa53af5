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
        if (await cluster.GetAsync<PodGroup>(decision.Group.Namespace, decision.Group.Name, cancellationToken).ConfigureAwait(false) is { } group)
        {
            var why = decision.Preemptor is { } preemptor ? $" to make room for pod group {preemptor}" : decision.Cause is { } cause ? $": {cause}" : string.Empty;
            await RecordAsync(group, EventType.Normal, "Evict", $"Pod {decision.Pod} was evicted by {ActionNames.Of(decision.Action)}{why}.", cancellationToken).ConfigureAwait(false);
        }
    }

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
