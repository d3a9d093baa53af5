using Kai.Cluster.Crds;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using EngineQueue = Kai.Scheduling.Model.Queue;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Turns a KAI Queue into the engine's queue, converting the CR's units (CPU millicores, memory MB, GPUs) to
/// engine units (millicores, bytes, milli-GPU). -1 stays unlimited; an unset quota, limit or weight is 0, as in KAI.
/// </summary>
internal static class QueueMapper
{
    private const long BytesPerMegabyte = 1_000_000;

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
            Cpu = Settings(resources?.Cpu, 1),
            Memory = Settings(resources?.Memory, BytesPerMegabyte),
            Gpu = Settings(resources?.Gpu, ResourceVector.MilliPerGpu),
            CreationTimestamp = Timestamps.CreationOf(queue.Metadata),
            PreemptMinRuntime = Duration(spec.PreemptMinRuntime, "spec.preemptMinRuntime", queue, issues),
            ReclaimMinRuntime = Duration(spec.ReclaimMinRuntime, "spec.reclaimMinRuntime", queue, issues),
        };
    }

    private static QueueResourceSettings Settings(Kai.Cluster.Crds.QueueResource? resource, long scale) =>
        resource is null
            ? QueueResourceSettings.Blocked
            : new QueueResourceSettings(Amount(resource.Quota, scale), resource.OverQuotaWeight ?? 0, Amount(resource.Limit, scale));

    private static long Amount(double? value, long scale) => value switch
    {
        null => 0,
        KaiApi.Unlimited => QueueResourceSettings.Unlimited,
        _ => (long)Math.Round(value.Value * scale),
    };

    private static TimeSpan? Duration(string? text, string field, Kai.Cluster.Crds.Queue queue, List<MappingIssue> issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (GoDuration.TryParse(text, out var duration, out var error) && !duration.IsNegative)
        {
            return duration.ToTimeSpan();
        }

        issues.Add(new MappingIssue("Queue", null, queue.Metadata.Name, $"{field} '{text}' is not a valid duration ({error}); use e.g. \"30s\", \"5m\" or \"1h30m\". Ignored."));
        return null;
    }
}
