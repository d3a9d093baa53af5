using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Simulation.Kubelet;

/// <summary>
/// Plays every node's kubelet: bound pods start running, and pods being deleted are gone once their grace
/// period has ended (the deletion timestamp has passed), as on a real node whose containers use the whole
/// grace period.
/// </summary>
public sealed class SimulatedKubelet(ICluster cluster, TimeProvider time)
{
    /// <summary>Advances every pod one step.</summary>
    /// <returns>How many pods started and how many were removed.</returns>
    public async ValueTask<(int Started, int Removed)> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var started = 0;
        var removed = 0;
        var pods = await cluster.ListAsync<V1Pod>(cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods.Items)
        {
            if (pod.Metadata.DeletionTimestamp is { } deadline)
            {
                if (new DateTimeOffset(DateTime.SpecifyKind(deadline, DateTimeKind.Utc)) <= now)
                {
                    await RemoveAsync(pod, cancellationToken).ConfigureAwait(false);
                    removed++;
                }

                continue;
            }

            if (!string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Status?.Phase is null or "Pending")
            {
                await StartAsync(pod, now, cancellationToken).ConfigureAwait(false);
                started++;
            }
        }

        return (started, removed);
    }

    private async ValueTask StartAsync(V1Pod pod, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var conditions = (pod.Status?.Conditions ?? []).Where(c => c.Type is not ("Ready" or "ContainersReady")).ToList();
        conditions.Add(new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = now.UtcDateTime });
        var status = (pod.Status ?? new V1PodStatus()) with { Phase = "Running", StartTime = now.UtcDateTime, Conditions = conditions };
        try
        {
            await cluster.ReplaceStatusAsync(pod with { Status = status }, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Changed meanwhile; started on the next step.
        }
    }

    private async ValueTask RemoveAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await cluster.DeleteAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, gracePeriodSeconds: 0, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
        {
            // Already gone.
        }
    }
}
