using System.Text.Json;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Workloads;
using Kai.Controllers.Conventions;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// KAI's default grouper: one pod group per top owner, <c>pg-&lt;owner&gt;-&lt;uid&gt;</c>, owned by the top owner,
/// minMember 1. It carries the owner's labels and annotations (plus the <c>user</c> label and the top-owner
/// metadata annotation), the queue (owner label, pod label, then the <c>project</c> label, else
/// <c>default-queue</c>), the priority class and preemptibility (owner and pod labels, the pod's priority class,
/// per-kind defaults, else <c>train</c>), the preemption delay and staleness grace period annotations, and the
/// owner's topology annotations. Every other grouper starts from it.
/// </summary>
internal sealed class DefaultGrouper : IGrouper
{
    public string Name => "Default Grouper";

    public async ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context)
    {
        // Without owners (a bare pod, or a plugin asking for the top owner alone) the top owner is the only owner.
        IReadOnlyList<ObjectView> allOwners = owners.Count == 0 ? [topOwner] : owners;
        var defaults = await KindDefaults.ReadAsync(context).ConfigureAwait(false);
        var priorityClass = await PriorityClassAsync(allOwners, context, KaiConventions.DefaultPriorityClass, defaults).ConfigureAwait(false);
        var annotations = topOwner.Annotations;
        return new PodGroupMetadata
        {
            Name = NameFor(topOwner),
            Namespace = context.PodNamespace ?? "default",
            Owner = OwnerReferenceTo(topOwner),
            Annotations = AnnotationsFor(topOwner, context),
            Labels = LabelsFor(topOwner, context),
            Queue = QueueFor(topOwner, context),
            PriorityClassName = priorityClass,
            Preemptibility = PreemptibilityOf(allOwners, context, defaults),
            PreemptionDelay = DurationAnnotation(allOwners, context, KaiConventions.PreemptionDelayAnnotation, allowNegative: false),
            StalenessGracePeriod = DurationAnnotation(allOwners, context, KaiConventions.StalenessGracePeriodAnnotation, allowNegative: true),
            MinAvailable = 1,
            Topology = annotations.TryGetValue(KaiConventions.TopologyAnnotation, out var topology) ? topology : null,
            RequiredTopologyLevel = annotations.TryGetValue(KaiConventions.TopologyRequiredAnnotation, out var required) ? required : null,
            PreferredTopologyLevel = annotations.TryGetValue(KaiConventions.TopologyPreferredAnnotation, out var preferred) ? preferred : null,
        };
    }

    /// <summary><c>pg-&lt;name&gt;-&lt;uid&gt;</c>, the pod group name KAI gives a workload.</summary>
    public static string NameFor(ObjectView owner) => $"pg-{owner.Name}-{owner.Uid}";

    public static V1OwnerReference OwnerReferenceTo(ObjectView owner) =>
        new() { ApiVersion = owner.Kind.ApiVersion, Kind = owner.Kind.Kind, Name = owner.Name, Uid = owner.Uid };

    /// <summary>The owner's annotations, the pod's <c>user</c> annotation and the top-owner metadata.</summary>
    public static Dictionary<string, string> AnnotationsFor(ObjectView topOwner, GroupingContext context)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.PodAnnotations.TryGetValue(KaiConventions.UserLabel, out var user))
        {
            annotations[KaiConventions.UserLabel] = user;
        }

        annotations[KaiConventions.TopOwnerMetadataAnnotation] = TopOwnerMetadata(topOwner);
        foreach (var (key, value) in topOwner.Annotations)
        {
            annotations[key] = value;
        }

        return annotations;
    }

    /// <summary>The owner's labels, plus the pod's <c>user</c> label when the owner has none.</summary>
    public static Dictionary<string, string> LabelsFor(ObjectView topOwner, GroupingContext context)
    {
        var labels = new Dictionary<string, string>(topOwner.Labels, StringComparer.Ordinal);
        if (!labels.ContainsKey(KaiConventions.UserLabel) && context.PodLabels.TryGetValue(KaiConventions.UserLabel, out var user))
        {
            labels[KaiConventions.UserLabel] = user;
        }

        return labels;
    }

    /// <summary>The queue label on the owner, then on the pod; else the <c>project</c> label (with the pod's node pool); else <c>default-queue</c>.</summary>
    public static string QueueFor(ObjectView topOwner, GroupingContext context)
    {
        var key = context.Options.QueueLabelKey;
        if (topOwner.Labels.TryGetValue(key, out var queue) || context.PodLabels.TryGetValue(key, out queue))
        {
            return queue;
        }

        string? project = topOwner.Labels.TryGetValue(KaiConventions.ProjectLabel, out var p) ? p
            : context.PodLabels.TryGetValue(KaiConventions.ProjectLabel, out p) ? p
            : null;
        if (string.IsNullOrEmpty(project))
        {
            return KaiConventions.DefaultQueue;
        }

        return context.Options.NodePoolLabelKey is { Length: > 0 } poolKey && context.PodLabels.TryGetValue(poolKey, out var pool)
            ? $"{project}-{pool}"
            : project;
    }

    /// <summary>The priority class from the top owner's labels and the pod alone, else per-kind defaults, else <paramref name="kindDefault"/>.</summary>
    public static async ValueTask<string> TopOwnerPriorityClassAsync(ObjectView topOwner, GroupingContext context, string kindDefault)
    {
        var defaults = await KindDefaults.ReadAsync(context).ConfigureAwait(false);
        return await PriorityClassAsync([topOwner], context, kindDefault, defaults).ConfigureAwait(false);
    }

    /// <summary>
    /// For each owner: its <c>priorityClassName</c> label, else the pod's label, else the pod's
    /// <c>spec.priorityClassName</c> — the first naming an existing PriorityClass wins; then the per-kind default of
    /// the first owner that has an existing one; then <paramref name="kindDefault"/>.
    /// </summary>
    private static async ValueTask<string> PriorityClassAsync(IReadOnlyList<ObjectView> owners, GroupingContext context, string kindDefault, KindDefaults defaults)
    {
        foreach (var owner in owners)
        {
            var name = owner.Labels.TryGetValue(KaiConventions.PriorityClassLabel, out var label) ? label
                : context.PodLabels.TryGetValue(KaiConventions.PriorityClassLabel, out label) ? label
                : context.Pod.Spec?.PriorityClassName;
            if (await ExistsAsync(name, context).ConfigureAwait(false))
            {
                return name!;
            }
        }

        foreach (var owner in owners)
        {
            if (defaults.For(owner.Kind) is { PriorityName: { } name } && await ExistsAsync(name, context).ConfigureAwait(false))
            {
                return name;
            }
        }

        return kindDefault;
    }

    private static async ValueTask<bool> ExistsAsync(string? priorityClass, GroupingContext context) =>
        !string.IsNullOrEmpty(priorityClass)
        && await context.Cluster.GetAsync<V1PriorityClass>(null, priorityClass, context.CancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The first valid <c>kai.scheduler/preemptibility</c> label on an owner, then on the pod, then the per-kind default; else empty.</summary>
    private static string PreemptibilityOf(IReadOnlyList<ObjectView> owners, GroupingContext context, KindDefaults defaults)
    {
        foreach (var labels in owners.Select(o => o.Labels).Append(context.PodLabels))
        {
            if (labels.TryGetValue(KaiConventions.PreemptibilityLabel, out var value) && IsPreemptibility(value))
            {
                return value;
            }
        }

        foreach (var owner in owners)
        {
            if (defaults.For(owner.Kind) is { Preemptibility: { Length: > 0 } value } && IsPreemptibility(value.ToLowerInvariant()))
            {
                return value.ToLowerInvariant();
            }
        }

        return string.Empty;
    }

    private static bool IsPreemptibility(string value) =>
        value is PodGroupPreemptibility.Preemptible or PodGroupPreemptibility.NonPreemptible;

    /// <summary>The first valid Go duration in annotation <paramref name="key"/> on an owner, then the pod; invalid values are skipped.</summary>
    private static string? DurationAnnotation(IReadOnlyList<ObjectView> owners, GroupingContext context, string key, bool allowNegative)
    {
        foreach (var annotations in owners.Select(o => o.Annotations).Append(context.PodAnnotations))
        {
            if (annotations.TryGetValue(key, out var text) && GoDuration.TryParse(text, out var duration, out _) && (allowNegative || !duration.IsNegative))
            {
                return text;
            }
        }

        return null;
    }

    // The kai.scheduler/top-owner-metadata annotation: the owner's identity as YAML, as KAI writes it.
    private static string TopOwnerMetadata(ObjectView owner)
    {
        var apiVersion = owner.Kind.ApiVersion;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return $"name: {Yaml(owner.Name)}\nuid: {Yaml(owner.Uid)}\ngroup: {Yaml(group)}\nversion: {Yaml(version)}\nkind: {Yaml(owner.Kind.Kind)}\n";
    }

    // Plain when YAML reads it back as the same string; double-quoted (JSON escaping is valid YAML) otherwise.
    private static string Yaml(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_') && !char.IsAsciiDigit(value[0]) && value is not ("true" or "false" or "null" or "yes" or "no")
            ? value
            : JsonSerializer.Serialize(value);
}
