using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Observability;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.Controllers.ScaleAdjust;

/// <summary>
/// KAI's node-scale-adjuster, on any <see cref="ICluster"/>: a pending pod that shares a GPU (<c>gpu-fraction</c>,
/// <c>gpu-memory</c>) and that the scheduler marked <c>PodScheduled=False/Unschedulable</c> asks for part of a GPU,
/// which a cluster autoscaler does not understand; so for such pods this component creates scaling pods
/// (<see cref="ScalingPods"/>) that ask for whole GPUs, which the autoscaler sees and adds a node for. Each pass:
/// <list type="number">
/// <item>deletes the scaling pods no longer needed — finished, or whose pod is gone or no longer unschedulable — and
/// then creates nothing for <see cref="NodeScaleAdjusterOptions.CoolDown"/>;</item>
/// <item>sums what the unschedulable sharing pods need, <c>ceil(Σ round(share × 100) × devices / 100)</c> GPUs
/// (a <c>gpu-memory</c> pod counts as <see cref="NodeScaleAdjusterOptions.GpuMemoryToFractionRatio"/>);</item>
/// <item>creates a scaling pod for such a pod (in name order) while that sum exceeds the GPUs the scaling pods already
/// ask for, or when the pod shares more devices than the largest scaling pod asks for.</item>
/// </list>
/// </summary>
public sealed partial class NodeScaleAdjuster : IDisposable
{
    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;
    private readonly NodeScaleAdjusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SortedDictionary<(string Namespace, string Name), V1Pod> _sharingPods = [];
    private readonly SortedDictionary<string, V1Pod> _scalingPods = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastRemoval;

    private NodeScaleAdjuster(ICluster cluster, IChangeFeed feed, NodeScaleAdjusterOptions options, TimeProvider time, ILogger logger)
    {
        _cluster = cluster;
        _feed = feed;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public static async ValueTask<NodeScaleAdjuster> CreateAsync(
        ICluster cluster, NodeScaleAdjusterOptions options, TimeProvider time, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()), cancellationToken).ConfigureAwait(false);
        return new NodeScaleAdjuster(cluster, feed, options, time, logger ?? NullLogger.Instance);
    }

    /// <summary>One pass over the pods as they are now.</summary>
    /// <returns>How many scaling pods were created or deleted.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        Drain();
        var changed = await RemoveUnneededAsync(cancellationToken).ConfigureAwait(false);
        if (_lastRemoval is { } removed && _time.GetUtcNow() - removed < _options.CoolDown)
        {
            return changed;
        }

        return changed + await CreateNeededAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _feed.Dispose();

    private void Drain()
    {
        while (_feed.Changes.TryRead(out var change))
        {
            var pod = (V1Pod)change.Object;
            var deleted = change.Type == ChangeType.Deleted;
            if (pod.Metadata.NamespaceProperty == _options.Namespace)
            {
                Track(_scalingPods, pod.Metadata.Name, pod, deleted);
            }
            else if (pod.Spec?.SchedulerName == _options.SchedulerName && ScalingPods.SharesGpus(pod))
            {
                Track(_sharingPods, (pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name), pod, deleted);
            }
        }
    }

    private static void Track<TKey>(SortedDictionary<TKey, V1Pod> pods, TKey key, V1Pod pod, bool deleted)
        where TKey : notnull
    {
        if (deleted)
        {
            pods.Remove(key);
        }
        else
        {
            pods[key] = pod;
        }
    }

    private async ValueTask<int> RemoveUnneededAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var scalingPod in _scalingPods.Values.Where(p => !IsStillNeeded(p)).ToList())
        {
            try
            {
                await _cluster.DeleteAsync<V1Pod>(scalingPod.Metadata.NamespaceProperty, scalingPod.Metadata.Name, gracePeriodSeconds: 0, cancellationToken: cancellationToken).ConfigureAwait(false);
                LogScalingPodDeleted(_logger, scalingPod.Metadata.Name);
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
            {
                // Gone already.
            }

            _scalingPods.Remove(scalingPod.Metadata.Name);
            _lastRemoval = _time.GetUtcNow();
            removed++;
        }

        return removed;
    }

    /// <summary>Not finished, and its pod exists and is still unschedulable (or has no PodScheduled condition yet).</summary>
    private bool IsStillNeeded(V1Pod scalingPod)
    {
        if (scalingPod.Status?.Phase == "Succeeded")
        {
            return false;
        }

        var labels = scalingPod.Metadata.Labels ?? new Dictionary<string, string>();
        if (!labels.TryGetValue(ScalingPods.TargetNameLabel, out var name) || !labels.TryGetValue(ScalingPods.TargetNamespaceLabel, out var ns)
            || !_sharingPods.TryGetValue((ns, name), out var target))
        {
            return false;
        }

        return PodScheduledCondition(target) is not { } condition || IsUnschedulable(condition);
    }

    private async ValueTask<int> CreateNeededAsync(CancellationToken cancellationToken)
    {
        var unschedulable = _sharingPods.Values.Where(IsUnschedulable).ToList();
        var needed = GpusNeeded(unschedulable);
        if (needed == 0)
        {
            return 0;
        }

        var created = 0;
        foreach (var target in unschedulable)
        {
            if (_scalingPods.ContainsKey(ScalingPods.NameFor(target)) || ScalingPods.DevicesOf(target) is not { } devices)
            {
                continue;
            }

            var held = _scalingPods.Values.Sum(ScalingPods.GpusOf);
            var largest = _scalingPods.Count == 0 ? 0 : _scalingPods.Values.Max(ScalingPods.GpusOf);
            if (needed <= held && devices <= largest)
            {
                continue; // the scaling pods already asked for enough
            }

            if (await CreateScalingPodAsync(target, devices, cancellationToken).ConfigureAwait(false) is { } scalingPod)
            {
                _scalingPods[scalingPod.Metadata.Name] = scalingPod;
                created++;
            }
        }

        return created;
    }

    /// <summary>Whole GPUs the pods' shares add up to: <c>ceil(Σ round(share × 100) × devices / 100)</c>.</summary>
    private long GpusNeeded(IEnumerable<V1Pod> pods)
    {
        long hundredths = 0;
        foreach (var pod in pods)
        {
            if (ScalingPods.ShareOf(pod, _options.GpuMemoryToFractionRatio) is { } share && ScalingPods.DevicesOf(pod) is { } devices)
            {
                hundredths += (long)Math.Round(share * 100, MidpointRounding.AwayFromZero) * devices;
            }
        }

        return (hundredths + 99) / 100;
    }

    /// <summary>Creates the scaling pod and marks it <c>PodScheduled=False/Unschedulable</c>, as KAI does.</summary>
    private async ValueTask<V1Pod?> CreateScalingPodAsync(V1Pod target, int devices, CancellationToken cancellationToken)
    {
        try
        {
            var created = await _cluster.CreateAsync(ScalingPods.For(target, devices, _options), cancellationToken).ConfigureAwait(false);
            var marked = KubeObjects.Clone(created);
            marked.Status ??= new V1PodStatus();
            marked.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", LastTransitionTime = _time.GetUtcNow().UtcDateTime }];
            var stored = await _cluster.ReplaceStatusAsync(marked, cancellationToken).ConfigureAwait(false);
            LogScalingPodCreated(_logger, stored.Metadata.Name, devices, target.Metadata.NamespaceProperty ?? "default", target.Metadata.Name);
            return stored;
        }
        catch (ClusterException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogScalingPodFailed(_logger, ScalingPods.NameFor(target), e.Message);
            return null;
        }
    }

    private bool IsUnschedulable(V1Pod pod) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName)
        && pod.Status?.Phase is not ("Succeeded" or "Failed")
        && PodScheduledCondition(pod) is { } condition && IsUnschedulable(condition);

    private static bool IsUnschedulable(V1PodCondition condition) => condition is { Status: "False", Reason: "Unschedulable" };

    private static V1PodCondition? PodScheduledCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");

    [LoggerMessage(EventId = KaiEventIds.ScalingPodCreated, Level = LogLevel.Information, Message = "created scaling pod {ScalingPod} ({Gpus} GPUs) for unschedulable pod {Namespace}/{Pod}")]
    private static partial void LogScalingPodCreated(ILogger logger, string scalingPod, int gpus, string @namespace, string pod);

    [LoggerMessage(EventId = KaiEventIds.ScalingPodDeleted, Level = LogLevel.Information, Message = "deleted scaling pod {ScalingPod}: no longer needed")]
    private static partial void LogScalingPodDeleted(ILogger logger, string scalingPod);

    [LoggerMessage(EventId = KaiEventIds.ScalingPodFailed, Level = LogLevel.Warning, Message = "could not create scaling pod {ScalingPod}: {Reason}")]
    private static partial void LogScalingPodFailed(ILogger logger, string scalingPod, string reason);
}
