using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Kubelet;

/// <summary>
/// Plays every node's kubelet: bound pods start running (phase Running, Ready, a running container status per
/// container); a pod with a run time (<see cref="SimulatedRuntime"/>) ends when it is up — exit code 0 completes it
/// (Succeeded), another fails it (Failed), unless its restartPolicy restarts the containers for another run
/// (OnFailure after a failure, Always after any exit), counting the restart; and pods being deleted are gone once
/// their grace period has ended (the deletion timestamp has passed), as on a real node whose containers use the
/// whole grace period.
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
                await WriteStatusAsync(pod, Started(pod, now), cancellationToken).ConfigureAwait(false);
                started++;
            }
            else if (pod.Status?.Phase == "Running" && SimulatedRuntime.RuntimeOf(pod.Metadata) is { } runtime && RunStart(pod) + runtime <= now)
            {
                await WriteStatusAsync(pod, Ended(pod, now), cancellationToken).ConfigureAwait(false);
            }
        }

        return (started, removed);
    }

    private static V1PodStatus Started(V1Pod pod, DateTimeOffset now)
    {
        var conditions = (pod.Status?.Conditions ?? []).Where(c => c.Type is not ("Ready" or "ContainersReady" or "Initialized")).ToList();
        conditions.Add(new V1PodCondition { Type = "Initialized", Status = "True", LastTransitionTime = now.UtcDateTime });
        conditions.Add(new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = now.UtcDateTime });
        conditions.Add(new V1PodCondition { Type = "ContainersReady", Status = "True", LastTransitionTime = now.UtcDateTime });
        return (pod.Status ?? new V1PodStatus()) with
        {
            Phase = "Running",
            StartTime = now.UtcDateTime,
            Conditions = conditions,
            ContainerStatuses = [.. (pod.Spec?.Containers ?? []).Select(c => Running(c, 0, now))],
        };
    }

    // The run is over: complete or fail the pod, or restart its containers as its restart policy says.
    private static V1PodStatus Ended(V1Pod pod, DateTimeOffset now)
    {
        var exitCode = SimulatedRuntime.ExitCodeOf(pod.Metadata);
        var restartPolicy = pod.Spec?.RestartPolicy ?? "Always";
        var status = pod.Status!;
        if (restartPolicy == "Always" || (restartPolicy == "OnFailure" && exitCode != 0))
        {
            var restarts = (status.ContainerStatuses?.FirstOrDefault()?.RestartCount ?? 0) + 1;
            return status with { ContainerStatuses = [.. (pod.Spec?.Containers ?? []).Select(c => Running(c, restarts, now))] };
        }

        var reason = exitCode == 0 ? "PodCompleted" : "PodFailed";
        var conditions = (status.Conditions ?? []).Where(c => c.Type is not ("Ready" or "ContainersReady")).ToList();
        conditions.Add(new V1PodCondition { Type = "Ready", Status = "False", Reason = reason, LastTransitionTime = now.UtcDateTime });
        conditions.Add(new V1PodCondition { Type = "ContainersReady", Status = "False", Reason = reason, LastTransitionTime = now.UtcDateTime });
        return status with
        {
            Phase = exitCode == 0 ? "Succeeded" : "Failed",
            Conditions = conditions,
            ContainerStatuses = [.. (pod.Spec?.Containers ?? []).Select(c => new V1ContainerStatus
            {
                Name = c.Name,
                Image = c.Image,
                ImageID = string.Empty,
                Ready = false,
                Started = false,
                RestartCount = status.ContainerStatuses?.FirstOrDefault(s => s.Name == c.Name)?.RestartCount ?? 0,
                State = new V1ContainerState
                {
                    Terminated = new V1ContainerStateTerminated
                    {
                        ExitCode = exitCode,
                        Reason = exitCode == 0 ? "Completed" : "Error",
                        StartedAt = RunStart(pod).UtcDateTime,
                        FinishedAt = now.UtcDateTime,
                    },
                },
            })],
        };
    }

    private static V1ContainerStatus Running(V1Container container, int restarts, DateTimeOffset now) => new()
    {
        Name = container.Name,
        Image = container.Image,
        ImageID = string.Empty,
        Ready = true,
        Started = true,
        RestartCount = restarts,
        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now.UtcDateTime } },
    };

    // When the current run began: the first container's start, else the pod's start, else its creation (a pod loaded as running).
    private static DateTimeOffset RunStart(V1Pod pod)
    {
        var started = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running?.StartedAt
            ?? pod.Status?.StartTime ?? pod.Metadata.CreationTimestamp ?? DateTime.MinValue;
        return new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc));
    }

    private async ValueTask WriteStatusAsync(V1Pod pod, V1PodStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await cluster.ReplaceStatusAsync(pod with { Status = status }, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.NotFound)
        {
            // Changed meanwhile; advanced on the next step.
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
