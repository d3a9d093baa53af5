using Kai.Controllers.Conventions;

namespace Kai.Controllers.Mapping;

/// <summary>
/// A pod's GPU groups on its labels, as KAI reads and writes them (GetGpuGroups): <c>runai-gpu-group=&lt;id&gt;</c> for a
/// pod on one shared device, <c>runai-gpu-group/&lt;id&gt;=&lt;id&gt;</c> per device for a pod on several.
/// </summary>
public static class GpuGroupLabels
{
    /// <summary>The groups named by the labels: the single label, else the multi-device labels' values in ordinal order.</summary>
    public static IReadOnlyList<string> Read(IDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return [];
        }

        if (labels.TryGetValue(KaiConventions.GpuGroupLabel, out var single) && single.Length > 0)
        {
            return [single];
        }

        List<string>? groups = null;
        foreach (var (key, value) in labels)
        {
            if (key.StartsWith(KaiConventions.MultiGpuGroupLabelPrefix, StringComparison.Ordinal) && value.Length > 0)
            {
                (groups ??= []).Add(value);
            }
        }

        if (groups is null)
        {
            return [];
        }

        groups.Sort(StringComparer.Ordinal);
        return groups;
    }

    /// <summary>The labels that put a pod on <paramref name="groups"/> (one group: the single label; more: one per group).</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(IReadOnlyList<string> groups) =>
        groups.Count == 1
            ? [new(KaiConventions.GpuGroupLabel, groups[0])]
            : groups.Select(g => new KeyValuePair<string, string>(KaiConventions.MultiGpuGroupLabelPrefix + g, g));

    /// <summary>Whether a label key is one of the GPU group labels.</summary>
    public static bool IsGroupLabel(string key) =>
        key == KaiConventions.GpuGroupLabel || key.StartsWith(KaiConventions.MultiGpuGroupLabelPrefix, StringComparison.Ordinal);
}
