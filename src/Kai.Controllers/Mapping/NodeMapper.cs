using System.Collections.Frozen;
using System.Globalization;
using k8s.Models;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Mapping;

/// <summary>Turns a Kubernetes Node into the engine's <see cref="Node"/>.</summary>
internal static class NodeMapper
{
    /// <summary>Pod slots of a node that publishes none (the kubelet's default).</summary>
    public const long DefaultPodSlots = 110;

    private static readonly string[] PressureConditions = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

    /// <param name="node">The node.</param>
    /// <param name="catalog">Interns extended resource names.</param>
    /// <param name="issues">Receives problems with the node.</param>
    /// <param name="draGpus">GPU devices its ResourceSlices publish: allocatable GPUs besides the device plugin's, as KAI counts them.</param>
    /// <param name="draDevices">Devices of any driver its ResourceSlices publish (and slices for all nodes).</param>
    public static Node Map(V1Node node, ResourceCatalog catalog, List<MappingIssue> issues, int draGpus = 0, IReadOnlyList<DraDevice>? draDevices = null)
    {
        var problems = new List<string>();
        var source = node.Status?.Allocatable is { Count: > 0 } allocatable ? allocatable : node.Status?.Capacity;
        var resources = ResourceListReader.Read(source, catalog, problems, "status.allocatable");
        if (resources.Pods == 0 && source?.ContainsKey("pods") != true)
        {
            resources = resources.WithPods(DefaultPodSlots);
        }

        foreach (var problem in problems)
        {
            issues.Add(new MappingIssue("Node", null, node.Metadata.Name, problem));
        }

        resources = resources.WithGpu(resources.Gpu + (draGpus * ResourceVector.MilliPerGpu));

        var labels = node.Metadata.Labels is { Count: > 0 } l ? l.ToFrozenDictionary(StringComparer.Ordinal) : FrozenDictionary<string, string>.Empty;
        var conditions = node.Status?.Conditions ?? [];

        // A node without a Ready condition (hand-written manifests) is taken as ready.
        var ready = conditions.FirstOrDefault(c => c.Type == "Ready") is not { } readyCondition || readyCondition.Status == "True";
        var pressure = conditions.Any(c => PressureConditions.Contains(c.Type) && c.Status == "True");

        var gpuCount = labels.TryGetValue(KaiConventions.NodeGpuCountLabel, out var countText) && long.TryParse(countText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : (resources.Gpu / ResourceVector.MilliPerGpu) - draGpus;
        gpuCount += draGpus;

        var (gpuMemory, gpuMemorySynced) = GpuMemoryOf(labels);
        var migProfiles = MigProfilesOf(resources, catalog);
        var migEnabled = labels.TryGetValue(KaiConventions.MigEnabledLabel, out var migText)
            ? bool.TryParse(migText, out var mig) && mig
            : migProfiles.Any(p => resources.Extended(p.ExtendedIndex) > 0);

        return new Node
        {
            Name = node.Metadata.Name,
            Allocatable = resources,
            Labels = labels,
            Taints = (node.Spec?.Taints ?? [])
                .Where(t => PodMapper.EffectOf(t.Effect) is not null)
                .Select(t => new Taint(t.Key, string.IsNullOrEmpty(t.Value) ? null : t.Value, PodMapper.EffectOf(t.Effect)!.Value))
                .ToList(),
            Unschedulable = node.Spec?.Unschedulable == true,
            Ready = ready,
            UnderPressure = pressure,
            GpuCount = gpuCount,
            GpuMemoryMiB = gpuMemory,
            GpuMemorySynced = gpuMemorySynced,
            MigEnabled = migEnabled,
            MigStrategy = !migEnabled ? MigStrategy.None : labels.GetValueOrDefault(KaiConventions.MigStrategyLabel) switch
            {
                "single" => MigStrategy.Single,
                "mixed" => MigStrategy.Mixed,
                _ => MigStrategy.None,
            },
            MigProfiles = migProfiles,
            DraDevices = draDevices ?? [],
        };
    }

    /// <summary>
    /// Per-GPU memory from <c>nvidia.com/gpu.memory</c>: MiB (a value of 2^20 or more is bytes, a GPU feature
    /// discovery bug KAI works around), floored to hundreds; without the label (or with a value below 100 MiB)
    /// KAI's default of 100 MiB, not synced.
    /// </summary>
    private static (long MiB, bool Synced) GpuMemoryOf(FrozenDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(KaiConventions.NodeGpuMemoryLabel, out var text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var memory))
        {
            return (Node.DefaultGpuMemoryMiB, false);
        }

        const long BytesPerMiB = 1L << 20;
        if (memory >= BytesPerMiB)
        {
            memory /= BytesPerMiB;
        }

        var floored = memory / 100 * 100;
        return floored < Node.DefaultGpuMemoryMiB ? (Node.DefaultGpuMemoryMiB, false) : (floored, true);
    }

    private static List<MigProfile> MigProfilesOf(in ResourceVector allocatable, ResourceCatalog catalog)
    {
        var profiles = new List<MigProfile>();
        for (var i = 0; i < allocatable.ExtendedCount; i++)
        {
            if (GpuRequestReader.MigGpus(catalog.NameOf(i)) is var gpus and > 0)
            {
                profiles.Add(new MigProfile(i, gpus));
            }
        }

        return profiles;
    }
}
