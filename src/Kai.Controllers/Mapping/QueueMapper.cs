using Kai.Cluster.Crds;
using Kai.Cluster.Quantities;
using Kai.Scheduling.Model;
using EngineQueue = Kai.Scheduling.Model.Queue;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Turns a KAI Queue into the engine's queue, converting the CR's units (CPU millicores, memory MB, GPUs) to
/// engine units (millicores, bytes, milli-GPU). -1 stays unlimited; an unset quota, limit or weight is 0, as in KAI.
/// Values KAI accepts but that have no plain meaning are read as <see cref="QueueAmount"/> documents (other negative
/// quotas and limits as 0); a negative over-quota weight is kept, and the fair-share division uses it as KAI does.
/// </summary>
internal static class QueueMapper
{
    public static EngineQueue Map(Kai.Cluster.Crds.Queue queue, List<MappingIssue> issues)
    {
        var spec = queue.Spec ?? new QueueSpec();
        var resources = spec.Resources;
        return new EngineQueue
        {
            Name = queue.Metadata.Name,
            DisplayName = spec.DisplayName,
            ParentName = string.IsNullOrEmpty(spec.ParentQueue) ? null : spec.ParentQueue,
            Priority = spec.Priority ?? EngineQueue.DefaultPriority,
            Cpu = Settings(resources?.Cpu, QueueAmount.CpuScale),
            Memory = Settings(resources?.Memory, QueueAmount.MemoryScale),
            Gpu = Settings(resources?.Gpu, QueueAmount.GpuScale),
            CreationTimestamp = Timestamps.CreationOf(queue.Metadata),
            PreemptMinRuntime = Duration(spec.PreemptMinRuntime, "spec.preemptMinRuntime", queue, issues),
            ReclaimMinRuntime = Duration(spec.ReclaimMinRuntime, "spec.reclaimMinRuntime", queue, issues),
        };
    }

    private static QueueResourceSettings Settings(Kai.Cluster.Crds.QueueResource? resource, long scale) =>
        resource is null
            ? QueueResourceSettings.Blocked
            : new QueueResourceSettings(QueueAmount.Read(resource.Quota, scale).Units, Weight(resource.OverQuotaWeight), QueueAmount.Read(resource.Limit, scale).Units);

    // NaN and infinity cannot arrive in a manifest (the loader rejects them); read defensively as no weight.
    private static double Weight(double? weight) => weight is { } w && double.IsFinite(w) ? w : 0;

    private static TimeSpan? Duration(string? text, string field, Kai.Cluster.Crds.Queue queue, List<MappingIssue> issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // KAI's CRD takes any string here, so nothing drops the queue: an unreadable value is ignored (the configured
        // default applies) and a negative one protects nothing, so it is 0, not "unset".
        if (!GoDuration.TryParse(text, out var duration, out var error))
        {
            issues.Add(new MappingIssue("Queue", null, queue.Metadata.Name, $"{field} '{text}' is not a valid duration ({error}); use e.g. \"30s\", \"5m\" or \"1h30m\". Ignored, so the scheduler's default minimum runtime applies."));
            return null;
        }

        if (duration.IsNegative)
        {
            issues.Add(new MappingIssue("Queue", null, queue.Metadata.Name, $"{field} '{text}' is negative; a minimum runtime below zero protects nothing, so it is read as 0."));
            return TimeSpan.Zero;
        }

        return duration.ToTimeSpan();
    }
}
