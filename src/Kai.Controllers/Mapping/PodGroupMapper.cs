using System.Globalization;
using Kai.Cluster.Crds;
using Kai.Controllers.Conventions;
using EnginePodGroup = Kai.Scheduling.Model.PodGroup;
using EngineSubGroup = Kai.Scheduling.Model.SubGroup;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Turns a KAI PodGroup into the engine's pod group: queue (spec, else the queue label, else default-queue),
/// priority from its PriorityClass (else the global default class, else 50), preemptibility (explicit, else
/// priority below 100), minimum (0: no gang), sub-groups and topology constraints (spec only: KAI's pod-grouper copies
/// the <c>kai.scheduler/topology*</c> annotations of a workload into the spec, the scheduler never reads them), the
/// staleness grace period and preemption delay, and the timestamps the scheduler wrote back.
/// </summary>
internal static class PodGroupMapper
{
    public static EnginePodGroup Map(Kai.Cluster.Crds.PodGroup group, PriorityClassBook priorities, List<MappingIssue> issues)
    {
        var metadata = group.Metadata;
        var spec = group.Spec ?? new PodGroupSpec();
        var labels = metadata.Labels ?? new Dictionary<string, string>();
        var annotations = metadata.Annotations ?? new Dictionary<string, string>();

        var queue = !string.IsNullOrEmpty(spec.Queue)
            ? spec.Queue
            : labels.TryGetValue(KaiConventions.QueueLabel, out var labelled) && labelled.Length > 0 ? labelled : KaiConventions.DefaultQueue;

        var priority = priorities.Resolve(spec.PriorityClassName, out var unknownClass);
        if (unknownClass)
        {
            issues.Add(new MappingIssue("PodGroup", metadata.NamespaceProperty, metadata.Name,
                $"spec.priorityClassName '{spec.PriorityClassName}' names no PriorityClass; using priority {priority}. Known classes: {priorities.KnownNames}."));
        }

        var preemptibility = spec.Preemptibility ?? (labels.TryGetValue(KaiConventions.PreemptibilityLabel, out var p) ? p : null);
        var preemptible = preemptibility switch
        {
            PodGroupPreemptibility.Preemptible => true,
            PodGroupPreemptibility.NonPreemptible => false,
            _ => priority < EnginePodGroup.NonPreemptiblePriority,
        };
        if (preemptibility is not null and not PodGroupPreemptibility.Preemptible and not PodGroupPreemptibility.NonPreemptible)
        {
            issues.Add(new MappingIssue("PodGroup", metadata.NamespaceProperty, metadata.Name,
                $"preemptibility '{preemptibility}' must be 'preemptible' or 'non-preemptible'; using the default for priority {priority}."));
        }

        return new EnginePodGroup
        {
            Namespace = metadata.NamespaceProperty ?? "default",
            Name = metadata.Name,
            Uid = metadata.Uid ?? string.Empty,
            QueueName = queue,
            Priority = priority,
            PriorityClassName = spec.PriorityClassName,
            Preemptible = preemptible,
            MinMember = Math.Max(spec.MinMember ?? 1, 0),
            SubGroups = (spec.SubGroups ?? []).Where(s => !string.IsNullOrEmpty(s.Name))
                .Select(s => new EngineSubGroup(s.Name!, Math.Max(s.MinMember ?? 1, 0), string.IsNullOrEmpty(s.Parent) ? null : s.Parent, TopologyMapper.Map(s.TopologyConstraint)))
                .ToList(),
            Topology = TopologyMapper.Map(spec.TopologyConstraint),
            CreationTimestamp = Timestamps.CreationOf(metadata),
            MarkUnschedulable = spec.MarkUnschedulable ?? true,
            StaleSince = Timestamp(annotations, KaiConventions.StaleTimestampAnnotation),
            LastStartTimestamp = Timestamp(annotations, KaiConventions.LastStartTimestampAnnotation),
            LastEvictionTimestamp = Timestamp(annotations, KaiConventions.LastEvictionTimestampAnnotation),
            StalenessGracePeriod = Duration(group, spec.StalenessGracePeriod, "spec.stalenessGracePeriod", allowNegative: true, issues),
            PreemptionDelay = Duration(group, spec.PreemptionDelay, "spec.preemptionDelay", allowNegative: false, issues),
        };
    }

    /// <summary>A Go duration field; an invalid one is reported and left out (the scheduler's default applies).</summary>
    private static TimeSpan? Duration(Kai.Cluster.Crds.PodGroup group, string? text, string field, bool allowNegative, List<MappingIssue> issues)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (GoDuration.TryParse(text, out var duration, out var error) && (allowNegative || !duration.IsNegative))
        {
            return duration.ToTimeSpan();
        }

        issues.Add(new MappingIssue("PodGroup", group.Metadata.NamespaceProperty, group.Metadata.Name,
            $"{field} '{text}' is not a{(allowNegative ? string.Empty : " non-negative")} Go duration ({(error.Length > 0 ? error : "negative")}); write e.g. 30s or 5m. It is ignored."));
        return null;
    }

    private static DateTimeOffset? Timestamp(IDictionary<string, string> annotations, string key) =>
        annotations.TryGetValue(key, out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
}
