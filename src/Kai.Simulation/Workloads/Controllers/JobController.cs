using System.Globalization;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Kubernetes' Job controller, for a simulation: keeps up to <c>parallelism</c> pods running until
/// <c>completions</c> pods have succeeded (NonIndexed: any pods; Indexed: one per index <c>0..completions-1</c>, named
/// <c>&lt;job&gt;-&lt;index&gt;-…</c>), replaces pods that fail (restartPolicy Never) or are deleted, and fails the Job
/// once failures exceed <c>backoffLimit</c> (default 6; with restartPolicy OnFailure container restarts count) or
/// <c>activeDeadlineSeconds</c> passes, deleting its active pods. Honours <c>suspend</c> and
/// <c>ttlSecondsAfterFinished</c>. As in Kubernetes, a pod deleted before it finished (an eviction) counts as failed.
/// </summary>
internal sealed class JobController : IWorkloadController
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string CompletionIndexLabel = "batch.kubernetes.io/job-completion-index";

    private const int DefaultBackoffLimit = 6;

    // Pods deleted before they finished, per Job uid: Kubernetes counts them as failed.
    private readonly Dictionary<string, int> _lost = new(StringComparer.Ordinal);

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.Job];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var job = (V1Job)owner;
        var status = job.Status ?? new V1JobStatus();
        var pods = context.Children<V1Pod>(job);
        var finished = FinishedCondition(status) is not null;
        CountLostPods(job, context, finished);
        if (finished)
        {
            await FinishedAsync(job, status, pods, context).ConfigureAwait(false);
            return;
        }

        var active = pods.Where(PodStates.IsActive).ToList();
        var succeeded = pods.Where(PodStates.IsSucceeded).ToList();
        var failed = pods.Count(PodStates.IsFailed) + _lost.GetValueOrDefault(job.Metadata.Uid!);
        var restarts = job.Spec.Template.Spec?.RestartPolicy == "OnFailure" ? pods.Sum(PodStates.Restarts) : 0;
        var now = context.Now;
        var updated = status with
        {
            Active = active.Count,
            Succeeded = succeeded.Count,
            Failed = failed,
            Ready = active.Count(PodStates.IsReady),
        };

        if (job.Spec.Suspend == true)
        {
            await StopAsync(job, active, updated with { Conditions = WithCondition(status.Conditions, "Suspended", "JobSuspended", "Job suspended", now) }, context).ConfigureAwait(false);
            return;
        }

        updated = updated with { StartTime = status.StartTime ?? now.UtcDateTime };
        if (Failure(job, failed + restarts, updated.StartTime.Value, now, context) is { } reason)
        {
            await StopAsync(job, active, updated with { Conditions = WithCondition(status.Conditions, "Failed", reason.Reason, reason.Message, now) }, context).ConfigureAwait(false);
            await context.EventAsync(job, EventType.Warning, reason.Reason, reason.Message).ConfigureAwait(false);
            return;
        }

        var complete = job.Spec.CompletionMode == "Indexed"
            ? await ReconcileIndexedAsync(job, active, succeeded, context).ConfigureAwait(false)
            : await ReconcileNonIndexedAsync(job, active, succeeded.Count, context).ConfigureAwait(false);
        if (complete)
        {
            updated = updated with
            {
                CompletionTime = now.UtcDateTime,
                Conditions = WithCondition(status.Conditions, "Complete", null, null, now),
            };
            await context.EventAsync(job, EventType.Normal, "Completed", "Job completed").ConfigureAwait(false);
        }

        await context.WriteStatusAsync(job, job with { Status = updated }).ConfigureAwait(false);
    }

    /// <summary>Pods deleted before they finished count as failed, as Kubernetes counts them (while the Job runs).</summary>
    private void CountLostPods(V1Job job, WorkloadContext context, bool finished)
    {
        var lost = context.DeletedPods(job).Count(p => !PodStates.IsTerminal(p));
        if (lost > 0 && !finished)
        {
            _lost[job.Metadata.Uid!] = _lost.GetValueOrDefault(job.Metadata.Uid!) + lost;
        }
    }

    /// <summary>Suspended or failed: the active pods go and the status says why.</summary>
    private static async ValueTask StopAsync(V1Job job, List<V1Pod> active, V1JobStatus status, WorkloadContext context)
    {
        await DeleteAllAsync(active, context).ConfigureAwait(false);
        await context.WriteStatusAsync(job, job with { Status = status with { Active = 0 } }).ConfigureAwait(false);
    }

    private static (string Reason, string Message)? Failure(V1Job job, int failures, DateTime startTime, DateTimeOffset now, WorkloadContext context)
    {
        var backoffLimit = job.Spec.BackoffLimit ?? DefaultBackoffLimit;
        if (failures > backoffLimit)
        {
            return ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }

        if (job.Spec.ActiveDeadlineSeconds is { } deadline)
        {
            var due = new DateTimeOffset(DateTime.SpecifyKind(startTime, DateTimeKind.Utc)).AddSeconds(deadline);
            if (now >= due)
            {
                return ("DeadlineExceeded", "Job was active longer than specified deadline");
            }

            context.WakeAt(job, due);
        }

        return null;
    }

    /// <returns>True when the Job has just completed.</returns>
    private static async ValueTask<bool> ReconcileNonIndexedAsync(V1Job job, List<V1Pod> active, int succeeded, WorkloadContext context)
    {
        var parallelism = job.Spec.Parallelism ?? 1;
        var completions = job.Spec.Completions;
        int wanted;
        if (completions is { } total)
        {
            if (succeeded >= total)
            {
                await DeleteAllAsync(active, context).ConfigureAwait(false);
                return true;
            }

            wanted = Math.Min(parallelism, total - succeeded);
        }
        else
        {
            // A work queue: done once a pod succeeded and the others finished; no new pods after a success.
            if (succeeded > 0)
            {
                return active.Count == 0;
            }

            wanted = parallelism;
        }

        for (var i = active.Count; i < wanted; i++)
        {
            await context.CreatePodAsync(job, JobPod(job, null)).ConfigureAwait(false);
        }

        // Parallelism lowered: the newest pods go first.
        foreach (var extra in active.OrderByDescending(p => p.Metadata.CreationTimestamp).ThenByDescending(p => p.Metadata.Name, StringComparer.Ordinal).Take(active.Count - wanted))
        {
            await context.DeleteAsync(extra).ConfigureAwait(false);
        }

        return false;
    }

    /// <returns>True when the Job has just completed.</returns>
    private static async ValueTask<bool> ReconcileIndexedAsync(V1Job job, List<V1Pod> active, List<V1Pod> succeeded, WorkloadContext context)
    {
        var completions = job.Spec.Completions ?? 1;
        var parallelism = job.Spec.Parallelism ?? 1;
        var done = succeeded.Select(IndexOf).OfType<int>().ToHashSet();
        if (done.Count >= completions)
        {
            return true;
        }

        var running = active.Select(IndexOf).OfType<int>().ToHashSet();
        var count = active.Count;
        for (var index = 0; index < completions && count < parallelism; index++)
        {
            if (!done.Contains(index) && !running.Contains(index))
            {
                await context.CreatePodAsync(job, JobPod(job, index)).ConfigureAwait(false);
                count++;
            }
        }

        return false;
    }

    private static int? IndexOf(V1Pod pod) =>
        pod.Metadata.Labels?.TryGetValue(CompletionIndexLabel, out var text) == true && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;

    private static V1Pod JobPod(V1Job job, int? index)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ControllerUidLabel] = job.Metadata.Uid!,
            [JobNameLabel] = job.Metadata.Name,
            ["controller-uid"] = job.Metadata.Uid!,
            ["job-name"] = job.Metadata.Name,
        };
        Dictionary<string, string>? annotations = null;
        var generateName = job.Metadata.Name + "-";
        if (index is { } i)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            labels[CompletionIndexLabel] = text;
            annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [CompletionIndexLabel] = text };
            generateName = $"{job.Metadata.Name}-{text}-";
        }

        return PodTemplates.Pod(job.Spec.Template, job, WorkloadKinds.Job, null, generateName, labels, annotations);
    }

    private async ValueTask FinishedAsync(V1Job job, V1JobStatus status, List<V1Pod> pods, WorkloadContext context)
    {
        _lost.Remove(job.Metadata.Uid!);
        if (FinishedCondition(status)?.Type == "Failed")
        {
            await DeleteAllAsync(pods.Where(PodStates.IsActive), context).ConfigureAwait(false);
        }

        if (job.Spec.TtlSecondsAfterFinished is { } ttl && (status.CompletionTime ?? FinishedCondition(status)?.LastTransitionTime) is { } finishedAt)
        {
            var due = new DateTimeOffset(DateTime.SpecifyKind(finishedAt, DateTimeKind.Utc)).AddSeconds(ttl);
            if (context.Now >= due)
            {
                await context.DeleteAsync(job).ConfigureAwait(false);
            }
            else
            {
                context.WakeAt(job, due);
            }
        }
    }

    private static V1JobCondition? FinishedCondition(V1JobStatus status) =>
        status.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True");

    private static List<V1JobCondition> WithCondition(IList<V1JobCondition>? conditions, string type, string? reason, string? message, DateTimeOffset now)
    {
        if (conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True" && c.Reason == reason) is not null)
        {
            return [.. conditions];
        }

        var list = (conditions ?? []).Where(c => c.Type != type).ToList();
        list.Add(new V1JobCondition { Type = type, Status = "True", Reason = reason, Message = message, LastProbeTime = now.UtcDateTime, LastTransitionTime = now.UtcDateTime });
        return list;
    }

    private static async ValueTask DeleteAllAsync(IEnumerable<V1Pod> pods, WorkloadContext context)
    {
        foreach (var pod in pods.ToList())
        {
            await context.DeleteAsync(pod).ConfigureAwait(false);
        }
    }
}
