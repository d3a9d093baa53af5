using k8s.Models;
using Kai.Controllers.Dra;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Simulation.Reports;

/// <summary>
/// Each node's devices right after the last cycle: whole GPUs (held by whole-GPU pods, idle), the shared GPUs (GPU
/// groups) with their used and releasing share and memory, MIG instances, and the DRA devices of its ResourceSlices
/// with the claim that holds each. Read from the pods as the report shows them (status, node, GPU groups), what each
/// pod asks for (the last cycle's snapshot) and the claims as the binder will have written them.
/// </summary>
internal static class NodeReports
{
    public static IReadOnlyList<NodeReport> Build(ClusterSnapshot snapshot, IReadOnlyList<PodReport> pods, IReadOnlyList<V1ResourceSlice> slices, IReadOnlyList<ResourceClaimReport> claims)
    {
        var requests = snapshot.Pods.ToDictionary(p => $"{p.Namespace}/{p.Name}", StringComparer.Ordinal);
        var podsOnNode = pods
            .Where(p => p.Node is not null && HoldOf(p.Status) != Hold.None)
            .ToLookup(p => p.Node!, StringComparer.Ordinal);
        var holders = HoldersOfDevices(claims);
        var devicesByNode = slices
            .Where(s => s.Spec?.NodeName is { Length: > 0 })
            .SelectMany(s => (s.Spec.Devices ?? []).Select(d => (Node: s.Spec.NodeName!, Device: $"{s.Spec.Driver}/{s.Spec.Pool?.Name}/{d.Name}", Gpu: DraNames.IsGpu(s.Spec.Driver))))
            .ToLookup(d => d.Node, StringComparer.Ordinal);

        return [.. snapshot.Nodes.Select(node =>
        {
            var onNode = podsOnNode[node.Name].Select(p => (Report: p, Request: requests.GetValueOrDefault($"{p.Namespace}/{p.Name}"))).Where(p => p.Request is not null).ToList();
            var whole = WholeGpus(onNode!);
            var groups = GpuGroups(onNode!, node.GpuMemoryMiB);
            // Pipelined pods wait for devices that are being released: they take nothing idle.
            var held = whole.Allocated + whole.Releasing + groups.Count(g => g.State != Hold.Pipelined);
            return new NodeReport(
                node.Name,
                node.GpuCount,
                node.GpuMemorySynced ? node.GpuMemoryMiB : null,
                (int)Math.Max(0, node.GpuCount - held),
                new GpuUseReport(whole.Allocated, whole.Pipelined, whole.Releasing),
                [.. groups.Select(g => g.Report)],
                Mig(node, onNode!, snapshot.Catalog),
                [.. devicesByNode[node.Name].Select(d => new DraDeviceReport(d.Device, d.Gpu, holders.GetValueOrDefault(d.Device)))]);
        })];
    }

    private enum Hold
    {
        None,
        Allocated,
        Pipelined,
        Releasing,
    }

    /// <summary>How a pod in this report status holds what it was given: pending and finished pods hold nothing.</summary>
    private static Hold HoldOf(string status) => status switch
    {
        nameof(PodStatus.Running) or nameof(PodStatus.Bound) or nameof(PodStatus.Binding) => Hold.Allocated,
        nameof(PodStatus.Pipelined) => Hold.Pipelined,
        nameof(PodStatus.Releasing) => Hold.Releasing,
        _ => Hold.None,
    };

    /// <summary>Whole GPUs held by pods that ask for whole devices (a pipelined pod's wait for releasing ones).</summary>
    private static (int Allocated, int Pipelined, int Releasing) WholeGpus(List<(PodReport Report, Pod Request)> pods)
    {
        var (allocated, pipelined, releasing) = (0, 0, 0);
        foreach (var (report, request) in pods)
        {
            var gpus = (int)(request.Request.Gpu / ResourceVector.MilliPerGpu);
            switch (HoldOf(report.Status))
            {
                case Hold.Allocated: allocated += gpus; break;
                case Hold.Pipelined: pipelined += gpus; break;
                case Hold.Releasing: releasing += gpus; break;
            }
        }

        return (allocated, pipelined, releasing);
    }

    /// <summary>
    /// The node's GPU groups by id: the share and memory of the pods on each, and the state of the device — held by
    /// allocated pods, else by releasing ones, else only waited for by pipelined ones.
    /// </summary>
    private static List<(GpuGroupReport Report, Hold State)> GpuGroups(List<(PodReport Report, Pod Request)> pods, long gpuMemoryMiB)
    {
        var groups = new SortedDictionary<string, List<(PodReport Report, Pod Request)>>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p.Request.Gpu.IsShared))
        {
            foreach (var id in pod.Report.GpuGroups)
            {
                if (!groups.TryGetValue(id, out var members))
                {
                    groups[id] = members = [];
                }

                members.Add(pod);
            }
        }

        return [.. groups.Select(g =>
        {
            var releasing = g.Value.Where(p => HoldOf(p.Report.Status) == Hold.Releasing).ToList();
            var sharing = g.Value.Except(releasing).ToList();
            var state = g.Value.Any(p => HoldOf(p.Report.Status) == Hold.Allocated) ? Hold.Allocated
                : releasing.Count > 0 ? Hold.Releasing
                : Hold.Pipelined;
            var report = new GpuGroupReport(
                g.Key,
                [.. g.Value.Select(p => $"{p.Report.Namespace}/{p.Report.Name}")],
                Share(sharing, gpuMemoryMiB),
                Share(releasing, gpuMemoryMiB),
                sharing.Sum(p => p.Request.Gpu.MemoryOn(gpuMemoryMiB)),
                releasing.Sum(p => p.Request.Gpu.MemoryOn(gpuMemoryMiB)));
            return (report, state);
        })];
    }

    private static decimal Share(List<(PodReport Report, Pod Request)> pods, long gpuMemoryMiB) =>
        pods.Sum(p => p.Request.Gpu.PortionMilliOn(gpuMemoryMiB)) / (decimal)ResourceVector.MilliPerGpu;

    /// <summary>Each MIG profile the node offers: its instances and those held by pods (allocated, pipelined or releasing).</summary>
    private static IReadOnlyList<MigReport> Mig(Node node, List<(PodReport Report, Pod Request)> pods, ResourceCatalog catalog) =>
        [.. node.MigProfiles.Select(profile => new MigReport(
            catalog.NameOf(profile.ExtendedIndex),
            node.Allocatable.Extended(profile.ExtendedIndex),
            pods.Sum(p => p.Request.Request.Extended(profile.ExtendedIndex))))];

    /// <summary>Device (driver/pool/device) to the claim (namespace/name) allocated it.</summary>
    private static Dictionary<string, string> HoldersOfDevices(IReadOnlyList<ResourceClaimReport> claims)
    {
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            foreach (var device in claim.Status.Devices)
            {
                holders.TryAdd(device, $"{claim.Namespace}/{claim.Name}");
            }
        }

        return holders;
    }
}
