using Kai.Cluster.Crds;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks of a PodGroup that KAI's CRD schema and webhook enforce: minMember of at least 0 (0: no gang), Go durations
/// in preemptionDelay (not negative) and stalenessGracePeriod (negative: never evict as stale), a known preemptibility,
/// and subgroups with unique lowercase names, existing parents and no parent cycle; warnings for topology
/// constraints KAI ignores or cannot place.
/// </summary>
internal static class PodGroupRules
{
    public static void Validate(PodGroup podGroup, ValidationContext context)
    {
        var spec = podGroup.Spec;
        if (spec.MinMember is { } minMember && minMember < 0)
        {
            context.Error(
                $"spec.minMember is {minMember}; it must be at least 0 (0: no gang, each pod runs on its own; leave it out for a gang of 1)",
                "spec", "minMember");
        }

        ValidateDuration(spec.PreemptionDelay, allowNegative: false, context, "preemptionDelay");
        ValidateDuration(spec.StalenessGracePeriod, allowNegative: true, context, "stalenessGracePeriod");

        if (spec.Preemptibility is { Length: > 0 } preemptibility &&
            preemptibility is not (PodGroupPreemptibility.Preemptible or PodGroupPreemptibility.NonPreemptible))
        {
            context.Error(
                $"spec.preemptibility is \"{preemptibility}\"; use \"{PodGroupPreemptibility.Preemptible}\" or \"{PodGroupPreemptibility.NonPreemptible}\", " +
                "or leave it out to decide by priority (below 100 is preemptible)",
                "spec", "preemptibility");
        }

        if (spec.SchedulingBackoff is { } backoff && backoff is not (-1 or 1))
        {
            context.Warning($"spec.schedulingBackoff is {backoff}; KAI supports only -1 (keep trying) and 1 (give up on the node pool after one failure)", "spec", "schedulingBackoff");
        }

        ValidateTopologyConstraint(spec.TopologyConstraint, context, "spec", "topologyConstraint");
        if (spec.SubGroups is { Count: > 0 } subGroups)
        {
            ValidateSubGroups(subGroups, context);
            for (var i = 0; i < subGroups.Count; i++)
            {
                ValidateTopologyConstraint(subGroups[i].TopologyConstraint, context, "spec", "subGroups", i, "topologyConstraint");
            }
        }
    }

    private static void ValidateDuration(string? text, bool allowNegative, ValidationContext context, string field)
    {
        if (text is null)
        {
            return;
        }

        if (!GoDuration.TryParse(text, out var duration, out var error))
        {
            context.Error($"spec.{field} is \"{text}\": {error}", "spec", field);
        }
        else if (duration.IsNegative && !allowNegative)
        {
            context.Error($"spec.{field} is \"{text}\"; it must not be negative (write 0s or leave it out for no delay)", "spec", field);
        }
    }

    /// <summary>KAI accepts any strings here; these are the combinations it reads differently than one would expect.</summary>
    private static void ValidateTopologyConstraint(TopologyConstraint? constraint, ValidationContext context, params object[] path)
    {
        if (constraint is null)
        {
            return;
        }

        var where = string.Join('.', path.Select(p => p is int i ? $"[{i}]" : $"{p}")).Replace(".[", "[", StringComparison.Ordinal);
        var hasLevel = !string.IsNullOrEmpty(constraint.RequiredTopologyLevel) || !string.IsNullOrEmpty(constraint.PreferredTopologyLevel);
        if (string.IsNullOrEmpty(constraint.Topology) && hasLevel)
        {
            context.Warning($"{where} gives a level but no topology, so KAI ignores it; name the Topology object in {where}.topology", path);
        }
        else if (!string.IsNullOrEmpty(constraint.Topology) && !hasLevel)
        {
            context.Warning($"{where} names topology \"{constraint.Topology}\" but no level, so KAI cannot place these pods (they stay pending); give requiredTopologyLevel or preferredTopologyLevel", path);
        }
    }

    private static void ValidateSubGroups(IList<SubGroup> subGroups, ValidationContext context)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < subGroups.Count; i++)
        {
            var subGroup = subGroups[i];
            if (string.IsNullOrEmpty(subGroup.Name))
            {
                context.Error($"spec.subGroups[{i}] has no name; every subgroup needs a name such as \"workers\"", "spec", "subGroups", i);
                continue;
            }

            if (!string.Equals(subGroup.Name.ToLowerInvariant(), subGroup.Name, StringComparison.Ordinal))
            {
                context.Error(
                    $"spec.subGroups[{i}].name \"{subGroup.Name}\" has uppercase letters; KAI's webhook requires lowercase subgroup names, e.g. \"{subGroup.Name.ToLowerInvariant()}\"",
                    "spec", "subGroups", i, "name");
            }
            else if (!ObjectNames.IsLabelValue(subGroup.Name))
            {
                context.Warning(
                    $"spec.subGroups[{i}].name \"{subGroup.Name}\" is not a valid label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), " +
                    "so no pod can join it with the kai.scheduler/subgroup-name label; KAI accepts it, but use e.g. \"workers\"",
                    "spec", "subGroups", i, "name");
            }

            if (!byName.TryAdd(subGroup.Name, i))
            {
                context.Error(
                    $"spec.subGroups[{i}].name \"{subGroup.Name}\" duplicates spec.subGroups[{byName[subGroup.Name]}]; subgroup names must be unique",
                    "spec", "subGroups", i, "name");
            }

            if (subGroup.MinMember is { } minMember && minMember < 0)
            {
                context.Error($"spec.subGroups[{i}].minMember is {minMember}; it must be at least 0 (0: the sub-group's pods are optional)", "spec", "subGroups", i, "minMember");
            }
        }

        for (var i = 0; i < subGroups.Count; i++)
        {
            if (subGroups[i].Parent is { } parent && !byName.ContainsKey(parent))
            {
                var known = byName.Count == 0 ? "none" : string.Join(", ", byName.Keys);
                context.Error(
                    $"spec.subGroups[{i}].parent \"{parent}\" is not a subgroup of this PodGroup; name one of: {known}, or leave parent out",
                    "spec", "subGroups", i, "parent");
            }
        }

        ReportFirstCycle(subGroups, byName, context);
    }

    private static void ReportFirstCycle(IList<SubGroup> subGroups, Dictionary<string, int> byName, ValidationContext context)
    {
        for (var start = 0; start < subGroups.Count; start++)
        {
            var chain = new List<string>();
            var current = start;
            while (true)
            {
                var name = subGroups[current].Name ?? string.Empty;
                var seenAt = chain.IndexOf(name);
                if (seenAt >= 0)
                {
                    // Report each cycle once: from the subgroup of the cycle that comes first in the list.
                    var cycle = chain.Skip(seenAt).ToList();
                    if (byName[cycle.MinBy(n => byName[n])!] == start)
                    {
                        context.Error(
                            $"spec.subGroups have a parent cycle: {string.Join(" -> ", cycle.Append(name))}; parent chains must end at a subgroup without a parent",
                            "spec", "subGroups", start, "parent");
                        return;
                    }

                    break;
                }

                chain.Add(name);
                if (subGroups[current].Parent is not { } parent || !byName.TryGetValue(parent, out current))
                {
                    break;
                }
            }
        }
    }
}
