using System.Globalization;
using Cronos;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Kubernetes' CronJob controller, on the simulated clock: at each time <c>schedule</c> (in <c>timeZone</c>, else
/// UTC) names, a Job <c>&lt;cronjob&gt;-&lt;minutes since the epoch&gt;</c> from <c>jobTemplate</c> — only the most recent
/// missed time counts, and not once <c>startingDeadlineSeconds</c> have passed since it. <c>concurrencyPolicy</c>
/// Forbid skips a run while a Job is active, Replace deletes the active ones first; <c>suspend</c> stops new runs.
/// Finished Jobs beyond <c>successfulJobsHistoryLimit</c> (3) and <c>failedJobsHistoryLimit</c> (1) are deleted.
/// </summary>
internal sealed class CronJobController : IWorkloadController
{
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.CronJob];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var cronJob = (V1CronJob)owner;
        var jobs = context.Children<V1Job>(cronJob);
        var active = jobs.Where(j => Finished(j) is null).ToList();
        await TrimHistoryAsync(cronJob, jobs, context).ConfigureAwait(false);
        if (!TryParse(cronJob, out var schedule, out var zone))
        {
            return;
        }

        var now = context.Now;
        var status = cronJob.Status ?? new V1CronJobStatus();
        var since = status.LastScheduleTime ?? cronJob.Metadata.CreationTimestamp ?? now.UtcDateTime;
        var due = LatestDue(schedule, zone, new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)), now);
        if (schedule.GetNextOccurrence(now, zone) is { } next)
        {
            context.WakeAt(cronJob, next);
        }

        if (due is { } scheduled && cronJob.Spec.Suspend != true && !TooLate(cronJob, scheduled, now))
        {
            var policy = cronJob.Spec.ConcurrencyPolicy ?? "Allow";
            if (policy == "Forbid" && active.Count > 0)
            {
                return; // tried again at the next schedule
            }

            if (policy == "Replace")
            {
                foreach (var job in active)
                {
                    await context.DeleteAsync(job).ConfigureAwait(false);
                }
            }

            var created = await context.CreateAsync(JobFor(cronJob, scheduled)).ConfigureAwait(false);
            status = status with { LastScheduleTime = scheduled.UtcDateTime };
            if (created is not null)
            {
                await context.EventAsync(cronJob, EventType.Normal, "SuccessfulCreate", $"Created job {created.Metadata.Name}").ConfigureAwait(false);
            }
        }

        var updated = status with
        {
            Active = [.. jobs.Where(j => Finished(j) is null).Select(j => new V1ObjectReference
            {
                ApiVersion = "batch/v1", Kind = "Job", Name = j.Metadata.Name, NamespaceProperty = j.Metadata.NamespaceProperty, Uid = j.Metadata.Uid,
            })],
            LastSuccessfulTime = jobs.Where(j => Finished(j) == "Complete").Select(j => j.Status?.CompletionTime).Max() ?? status.LastSuccessfulTime,
        };
        await context.WriteStatusAsync(cronJob, cronJob with { Status = updated }).ConfigureAwait(false);
    }

    private static bool TryParse(V1CronJob cronJob, out CronExpression schedule, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        schedule = null!;
        try
        {
            schedule = CronExpression.Parse(cronJob.Spec.Schedule ?? string.Empty, CronFormat.Standard);
            if (!string.IsNullOrEmpty(cronJob.Spec.TimeZone))
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(cronJob.Spec.TimeZone);
            }

            return true;
        }
        catch (Exception e) when (e is CronFormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    // The most recent scheduled time after the last run and not after now.
    private static DateTimeOffset? LatestDue(CronExpression schedule, TimeZoneInfo zone, DateTimeOffset since, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        var count = 0;
        foreach (var occurrence in schedule.GetOccurrences(since, now, zone, fromInclusive: false, toInclusive: true))
        {
            latest = occurrence;

            // Kubernetes gives up counting after 100 missed runs; the latest is what matters.
            if (++count > 100_000)
            {
                break;
            }
        }

        return latest;
    }

    private static bool TooLate(V1CronJob cronJob, DateTimeOffset scheduled, DateTimeOffset now) =>
        cronJob.Spec.StartingDeadlineSeconds is { } deadline && now > scheduled.AddSeconds(deadline);

    private static V1Job JobFor(V1CronJob cronJob, DateTimeOffset scheduled)
    {
        var template = cronJob.Spec.JobTemplate;
        var minutes = (scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = $"{cronJob.Metadata.Name}-{minutes}",
                NamespaceProperty = cronJob.Metadata.NamespaceProperty,
                Labels = PodTemplates.Merge(template.Metadata?.Labels, null),
                Annotations = PodTemplates.Merge(template.Metadata?.Annotations, new Dictionary<string, string>
                {
                    [ScheduledTimestampAnnotation] = scheduled.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                }),
                OwnerReferences = [PodTemplates.ControllerReference(cronJob, WorkloadKinds.CronJob)],
            },
            Spec = template.Spec,
        };
    }

    private static async ValueTask TrimHistoryAsync(V1CronJob cronJob, List<V1Job> jobs, WorkloadContext context)
    {
        foreach (var (kind, limit) in new[] { ("Complete", cronJob.Spec.SuccessfulJobsHistoryLimit ?? 3), ("Failed", cronJob.Spec.FailedJobsHistoryLimit ?? 1) })
        {
            var finished = jobs.Where(j => Finished(j) == kind).OrderByDescending(j => j.Metadata.CreationTimestamp).ThenByDescending(j => j.Metadata.Name, StringComparer.Ordinal).ToList();
            foreach (var old in finished.Skip(Math.Max(0, limit)))
            {
                await context.DeleteAsync(old).ConfigureAwait(false);
            }
        }
    }

    private static string? Finished(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")?.Type;
}
