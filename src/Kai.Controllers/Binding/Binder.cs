using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Controllers.Observability;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.Controllers.Binding;

/// <summary>
/// KAI's binder: carries out bind requests by binding each pod to its selected node and reporting the outcome
/// in the request's status (Succeeded, or Failed with the reason). Events on the pod: <c>Scheduled</c> and
/// <c>Bound</c> once bound (KAI's scheduler reports <c>Scheduled</c> when it creates the request; here the binder
/// does, which keeps it off the scheduling cycle), <c>BindingError</c> when binding fails (and a warning in the log).
/// </summary>
public sealed partial class Binder : IDisposable
{
    private readonly ICluster _cluster;
    private readonly IChangeFeed _feed;
    private readonly ILogger _logger;

    private Binder(ICluster cluster, IChangeFeed feed, ILogger logger)
    {
        _cluster = cluster;
        _feed = feed;
        _logger = logger;
    }

    public static ValueTask<Binder> CreateAsync(ICluster cluster, CancellationToken cancellationToken = default) =>
        CreateAsync(cluster, NullLogger.Instance, cancellationToken);

    /// <summary>A binder that logs failed binds to <paramref name="logger"/>.</summary>
    public static async ValueTask<Binder> CreateAsync(ICluster cluster, ILogger logger, CancellationToken cancellationToken = default)
    {
        var feed = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<BindRequest>()), cancellationToken).ConfigureAwait(false);
        return new Binder(cluster, feed, logger);
    }

    /// <summary>Binds every pod whose bind request arrived since the last call, in arrival order.</summary>
    /// <returns>How many pods were bound.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        // The latest version of each request still to bind, in arrival order; local to the call, so a run that
        // stops part-way (cancelled, or a write that failed) leaves nothing behind that would shadow later updates.
        var pending = new Dictionary<string, BindRequest>(StringComparer.Ordinal);
        var order = new List<string>();
        while (_feed.Changes.TryRead(out var change))
        {
            if (change.Object is not BindRequest request)
            {
                continue;
            }

            var key = $"{request.Metadata.NamespaceProperty}/{request.Metadata.Name}";
            if (change.Type == ChangeType.Deleted || request.Status?.Phase is BindRequestStatus.PhaseSucceeded or BindRequestStatus.PhaseFailed)
            {
                pending.Remove(key);
                continue;
            }

            if (pending.TryAdd(key, request))
            {
                order.Add(key);
            }
            else
            {
                pending[key] = request;
            }
        }

        var bound = 0;
        foreach (var key in order)
        {
            if (pending.Remove(key, out var request) && await BindAsync(request, cancellationToken).ConfigureAwait(false))
            {
                bound++;
            }
        }

        return bound;
    }

    public void Dispose() => _feed.Dispose();

    private async ValueTask<bool> BindAsync(BindRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Metadata.NamespaceProperty;
        var podName = request.Spec?.PodName ?? request.Metadata.Name;
        var node = request.Spec?.SelectedNode ?? string.Empty;
        string? failure = null;
        V1Pod? pod = null;
        try
        {
            pod = await _cluster.BindPodAsync(ns, podName, node, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            failure = e.Message;
            LogBindFailed(_logger, $"{ns}/{podName}", node, failure);
        }

        var status = new BindRequestStatus { Phase = failure is null ? BindRequestStatus.PhaseSucceeded : BindRequestStatus.PhaseFailed, Reason = failure, FailedAttempts = failure is null ? 0 : 1 };
        try
        {
            var updated = KubeObjects.ShallowCopy(request);
            updated.Status = status;
            await _cluster.ReplaceStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            // The pod (and with it its bind request) is gone.
        }

        if (pod is not null)
        {
            await _cluster.RecordEventAsync(KaiConventions.SchedulerName, pod, EventType.Normal, "Scheduled", $"Successfully assigned {ns}/{podName} to {node}", cancellationToken).ConfigureAwait(false);
            await _cluster.RecordEventAsync(KaiConventions.SchedulerName, pod, EventType.Normal, "Bound", $"Bound pod {ns}/{podName} to node {node}", cancellationToken).ConfigureAwait(false);
        }
        else if (await _cluster.GetAsync<V1Pod>(ns, podName, cancellationToken).ConfigureAwait(false) is { } unbound)
        {
            await _cluster.RecordEventAsync(KaiConventions.SchedulerName, unbound, EventType.Warning, "BindingError", $"Failed to bind {ns}/{podName} to {node}: {failure}", cancellationToken).ConfigureAwait(false);
        }

        return failure is null;
    }

    [LoggerMessage(EventId = KaiEventIds.BindFailed, Level = LogLevel.Warning, Message = "Binding pod {Pod} to node {Node} failed: {Problem}")]
    private static partial void LogBindFailed(ILogger logger, string pod, string node, string problem);
}
