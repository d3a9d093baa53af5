using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Model;
using PodGroup = Kai.Cluster.Crds.PodGroup;
using Queue = Kai.Cluster.Crds.Queue;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// Writes a cycle's outcome back the KAI way: a BindRequest per bound pod (the binder binds it and reports
/// <c>Scheduled</c>), pod deletion for evictions, events (<c>Pipelined</c>, <c>Evict</c>, <c>Unschedulable</c>,
/// <c>NotReady</c>), the pod
/// group's <c>status.schedulingConditions</c> and last-start annotation, and queue status. Writes only what
/// changed, so a steady cluster costs little.
/// </summary>
internal sealed class DecisionWriter(ICluster cluster, TimeProvider time, EvictionMode eviction = EvictionMode.Delete)
{
    /// <summary>Decision writes in flight at once (their round trips overlap against an API server; see <see cref="ConcurrentWrites"/>).</summary>
    private const int WriteConcurrency = 16;

    private readonly Dictionary<string, string> _lastGroupMessage = new(StringComparer.Ordinal);

    /// <summary>
    /// What the next cycle depends on, written before the cycle ends: bind requests, evictions, and the pod group
    /// annotations that min-runtime and stale-gang eviction read back.
    /// </summary>
    public async ValueTask WriteDecisionsAsync(ClusterSnapshot snapshot, CycleResult result, CancellationToken cancellationToken)
    {
        await ConcurrentWrites.ForEachAsync(result.Decisions, WriteConcurrency, (decision, ct) => ApplyDecisionAsync(snapshot, decision, ct), cancellationToken).ConfigureAwait(false);

        foreach (var started in result.StartedGroups)
        {
            await AnnotateAsync(started, KaiConventions.LastStartTimestampAnnotation, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (group, since) in result.StaleSince)
        {
            await AnnotateAsync(group, KaiConventions.StaleTimestampAnnotation, since, cancellationToken).ConfigureAwait(false);
        }

    }

    /// <summary>
    /// What reports the cycle to people, written after it (as KAI's status updater does, asynchronously): events,
    /// pod group scheduling conditions, pod conditions and queue status.
    /// </summary>
    public async Task WriteStatusAsync(ClusterSnapshot snapshot, CycleResult result, CancellationToken cancellationToken)
    {
        foreach (var decision in result.Decisions.Where(d => d.Kind == DecisionKind.Pipeline))
        {
            if (await cluster.GetAsync<V1Pod>(decision.PodNamespace, decision.PodName, cancellationToken).ConfigureAwait(false) is { } pipelined)
            {
                await cluster.RecordEventAsync(KaiConventions.SchedulerName, pipelined, EventType.Normal, "Pipelined",
                    $"Pod {decision.PodKey} is pipelined to node {decision.Node}: it binds once capacity being released there is free.", cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var stale in result.StaleGroups)
        {
            var (ns, name) = Split(stale);
            if (await cluster.GetAsync<PodGroup>(ns, name, cancellationToken).ConfigureAwait(false) is { } group)
            {
                await cluster.RecordEventAsync(KaiConventions.SchedulerName, group, EventType.Warning, "StaleJob",
                    $"Pod group {stale} ran with fewer than its minimum of pods for longer than the staleness grace period; its pods were evicted.", cancellationToken).ConfigureAwait(false);
            }
        }

        var placedGroups = new HashSet<string>(
            result.Decisions.Where(d => d.Kind != DecisionKind.Evict).Select(d => $"{d.GroupNamespace}/{d.GroupName}"),
            StringComparer.Ordinal);
        foreach (var explanation in result.Explanations)
        {
            await ExplainAsync(snapshot, explanation, placedGroups.Contains(explanation.Key), cancellationToken).ConfigureAwait(false);
        }

        foreach (var figures in result.Queues)
        {
            await WriteQueueStatusAsync(figures, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask ApplyDecisionAsync(ClusterSnapshot snapshot, SchedulingDecision decision, CancellationToken cancellationToken)
    {
        switch (decision.Kind)
        {
            case DecisionKind.Bind:
                await CreateBindRequestAsync(decision, cancellationToken).ConfigureAwait(false);
                break;
            case DecisionKind.Pipeline:
                // Nothing is persisted for a pipelined pod; its event is written with the status.
                break;
            case DecisionKind.Evict:
                await EvictAsync(decision, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask CreateBindRequestAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        var gpu = decision.GpuMilli;
        var wholeGpus = gpu / ResourceVector.MilliPerGpu;
        var fraction = gpu % ResourceVector.MilliPerGpu;
        var request = new BindRequest
        {
            Metadata = new V1ObjectMeta
            {
                Name = decision.PodName,
                NamespaceProperty = decision.PodNamespace,
                Labels = new Dictionary<string, string> { [KaiConventions.SelectedNodeLabel] = decision.Node! },

                // Owned by the pod, so it goes when the pod goes.
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = decision.PodName, Uid = decision.PodUid }],
            },
            Spec = new BindRequestSpec
            {
                PodName = decision.PodName,
                SelectedNode = decision.Node,
                ReceivedResourceType = fraction > 0 ? "Fraction" : "Regular",
                ReceivedGPU = new ReceivedGpu
                {
                    Count = fraction > 0 ? 1 : (int)wholeGpus,
                    Portion = (fraction > 0 ? fraction / (double)ResourceVector.MilliPerGpu : 1.0).ToString("0.00", CultureInfo.InvariantCulture),
                },
            },
        };

        try
        {
            await cluster.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
        {
            // A failed request from an earlier attempt: replace it with this decision.
            await cluster.DeleteAsync<BindRequest>(decision.PodNamespace, decision.PodName, cancellationToken: cancellationToken).ConfigureAwait(false);
            await cluster.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EvictAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        try
        {
            if (eviction == EvictionMode.EvictionApi)
            {
                await cluster.EvictPodAsync(decision.PodNamespace, decision.PodName, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await cluster.DeleteAsync<V1Pod>(decision.PodNamespace, decision.PodName, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            return;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.TooManyRequests)
        {
            // A disruption budget protects the pod for now; it keeps running and the next cycle decides again.
            return;
        }

        if (await cluster.GetAsync<PodGroup>(decision.GroupNamespace, decision.GroupName, cancellationToken).ConfigureAwait(false) is { } group)
        {
            var cause = decision.Cause is null ? string.Empty : $" to make room for pod group {decision.Cause}";
            await cluster.RecordEventAsync(KaiConventions.SchedulerName, group, EventType.Normal, "Evict",
                $"Pod {decision.PodKey} was evicted by {ActionNames.Of(decision.Action)}{cause}.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sets (or, for null, removes) a timestamp annotation on a pod group.</summary>
    private async ValueTask AnnotateAsync(string groupKey, string annotation, DateTimeOffset? value, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(groupKey);
        if (await cluster.GetAsync<PodGroup>(ns, name, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return;
        }

        var stamp = value?.ToUniversalTime().ToString(KaiConventions.TimestampAnnotationFormat, CultureInfo.InvariantCulture);
        var annotated = KubeObjects.WithEditedMetadata(group, m =>
        {
            m.Annotations ??= new Dictionary<string, string>();
            if (stamp is null)
            {
                m.Annotations.Remove(annotation);
            }
            else
            {
                m.Annotations[annotation] = stamp;
            }
        });
        await cluster.ReplaceAsync(annotated, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ExplainAsync(ClusterSnapshot snapshot, GroupExplanation explanation, bool placedThisCycle, CancellationToken cancellationToken)
    {
        var message = $"{explanation.Reason}: {explanation.FullMessage}";
        var changed = !_lastGroupMessage.TryGetValue(explanation.Key, out var previous) || previous != message;
        if (explanation.Reason == GroupExplanation.NotReady && !changed)
        {
            // Reported already; nothing to read or write.
            return;
        }

        if (await cluster.GetAsync<PodGroup>(explanation.Namespace, explanation.Name, cancellationToken).ConfigureAwait(false) is not { } group)
        {
            return;
        }

        _lastGroupMessage[explanation.Key] = message;

        if (explanation.Reason == GroupExplanation.NotReady)
        {
            if (changed)
            {
                await cluster.RecordEventAsync(KaiConventions.SchedulerName, group, EventType.Normal, "NotReady", $"Job is {explanation.Message}", cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await cluster.RecordEventAsync(KaiConventions.SchedulerName, group, EventType.Warning, "Unschedulable", explanation.FullMessage, cancellationToken).ConfigureAwait(false);

        var g = snapshot.FindGroup(explanation.Namespace, explanation.Name);
        var hasActivePods = placedThisCycle || (g >= 0 && snapshot.MembersOf(g).Any(p => snapshot.Pods[p].Status.IsActiveAllocated()));
        if (!hasActivePods && changed)
        {
            await WriteSchedulingConditionAsync(group, explanation, cancellationToken).ConfigureAwait(false);
        }

        if (g >= 0 && snapshot.Groups[g].MarkUnschedulable)
        {
            foreach (var p in snapshot.MembersOf(g))
            {
                var pod = snapshot.Pods[p];
                if (pod.Status == PodStatus.Pending && pod.IsScheduledByUs)
                {
                    await MarkPodUnschedulableAsync(pod, explanation.FullMessage, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async ValueTask WriteSchedulingConditionAsync(PodGroup group, GroupExplanation explanation, CancellationToken cancellationToken)
    {
        var status = group.Status ?? new PodGroupStatus();
        var conditions = (status.SchedulingConditions ?? []).ToList();
        var transition = conditions.Select(c => int.TryParse(c.TransitionID, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : 0).DefaultIfEmpty(0).Max() + 1;
        conditions.RemoveAll(c => c.NodePool == KaiConventions.DefaultNodePool);
        conditions.Add(new SchedulingCondition
        {
            Type = SchedulingCondition.UnschedulableOnNodePool,
            NodePool = KaiConventions.DefaultNodePool,
            Reason = "Unschedulable",
            Message = explanation.FullMessage,
            Reasons = [new UnschedulableExplanation { Reason = explanation.Reason, Message = explanation.Message },
                .. explanation.Notes.Select(n => new UnschedulableExplanation { Reason = "Unschedulable", Message = n.ToString() })],
            TransitionID = transition.ToString(CultureInfo.InvariantCulture),
            LastTransitionTime = time.GetUtcNow().UtcDateTime,
            Status = "True",
        });

        var updated = KubeObjects.ShallowCopy(group);
        updated.Status = KubeObjects.ShallowCopy(status);
        updated.Status.SchedulingConditions = conditions;
        try
        {
            await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Changed or gone meanwhile; the next cycle writes it again.
            _lastGroupMessage.Remove(explanation.Key);
        }
    }

    private async ValueTask MarkPodUnschedulableAsync(Pod pod, string message, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<V1Pod>(pod.Namespace, pod.Name, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return;
        }

        var existing = current.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (existing is { Status: "False", Reason: "Unschedulable" } && existing.Message == message)
        {
            return;
        }

        await cluster.RecordEventAsync(KaiConventions.SchedulerName, current, EventType.Warning, "Unschedulable", message, cancellationToken).ConfigureAwait(false);
        var conditions = (current.Status?.Conditions ?? []).Where(c => c.Type != "PodScheduled").ToList();
        conditions.Add(new V1PodCondition
        {
            Type = "PodScheduled",
            Status = "False",
            Reason = "Unschedulable",
            Message = message,
            LastTransitionTime = time.GetUtcNow().UtcDateTime,
        });
        var status = current.Status is null ? new V1PodStatus { Phase = "Pending" } : current.Status with { Conditions = conditions };
        status.Conditions ??= conditions;
        try
        {
            await cluster.ReplaceStatusAsync(current with { Status = status }, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // The pod moved on meanwhile; nothing to mark.
        }
    }

    private async ValueTask WriteQueueStatusAsync(QueueFigures figures, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync<Queue>(null, figures.Name, cancellationToken).ConfigureAwait(false) is not { } queue)
        {
            return;
        }

        var allocated = ToResourceList(figures.Allocated);
        var nonPreemptible = ToResourceList(figures.AllocatedNonPreemptible);
        var requested = ToResourceList(figures.Requested);
        var status = queue.Status;
        if (status is not null && SameList(status.Allocated, allocated) && SameList(status.AllocatedNonPreemptible, nonPreemptible) && SameList(status.Requested, requested))
        {
            return;
        }

        var updated = KubeObjects.ShallowCopy(queue);
        updated.Status = status is null ? new QueueStatus() : KubeObjects.ShallowCopy(status);
        updated.Status.Allocated = allocated;
        updated.Status.AllocatedNonPreemptible = nonPreemptible;
        updated.Status.Requested = requested;
        try
        {
            await cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Written again next cycle.
        }
    }

    private static Dictionary<string, ResourceQuantity> ToResourceList(ResourceVector vector) => new(StringComparer.Ordinal)
    {
        ["cpu"] = new ResourceQuantity($"{vector.Cpu}m"),
        ["memory"] = new ResourceQuantity(vector.Memory.ToString(CultureInfo.InvariantCulture)),
        [KaiConventions.GpuResource] = new ResourceQuantity((vector.Gpu / (decimal)ResourceVector.MilliPerGpu).ToString(CultureInfo.InvariantCulture)),
    };

    private static bool SameList(IDictionary<string, ResourceQuantity>? a, Dictionary<string, ResourceQuantity> b) =>
        a is not null && a.Count == b.Count && b.All(p => a.TryGetValue(p.Key, out var v) && v.ToString() == p.Value.ToString());

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
