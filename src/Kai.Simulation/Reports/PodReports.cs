using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Conventions;
using Kai.Controllers.Mapping;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;

namespace Kai.Simulation.Reports;

/// <summary>
/// Each pod's state right after the last cycle, in KAI's words. A pod the last cycle pipelined (including one it
/// moved: evicted from one node and placed on another in the same statement) is <c>Pipelined</c> on its new node, as
/// KAI's session shows it, whatever the cluster object says; a moved pod also names the node it left.
/// </summary>
internal static class PodReports
{
    public static List<PodReport> Build(IReadOnlyList<V1Pod> pods, IReadOnlyList<BindRequest> bindRequests, CycleOutcome last)
    {
        var bindings = bindRequests
            .Select(b => (Request: b, Node: PodMapper.LiveNodeOf(b)))
            .Where(b => b.Node is not null)
            .ToDictionary(b => $"{b.Request.Metadata.NamespaceProperty}/{b.Request.Spec?.PodName ?? b.Request.Metadata.Name}", b => (Node: b.Node!, Groups: PodMapper.LiveGroupsOf(b.Request)), StringComparer.Ordinal);
        var pipelined = new Dictionary<string, string?>(StringComparer.Ordinal);
        var pipelinedGroups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var evictedFrom = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var decision in last.Result.Decisions)
        {
            var target = decision.Kind == DecisionKind.Pipeline ? pipelined : decision.Kind == DecisionKind.Evict ? evictedFrom : null;
            target?.TryAdd(decision.Pod.ToString(), decision.Node?.Value);
            if (decision.Kind == DecisionKind.Pipeline)
            {
                pipelinedGroups[decision.Pod.ToString()] = decision.Gpu.Groups;
            }
        }

        var snapshot = last.Snapshot;
        var reports = new List<PodReport>(pods.Count);
        foreach (var pod in pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var ns = pod.Metadata.NamespaceProperty ?? "default";
            var key = $"{ns}/{pod.Metadata.Name}";
            var bindNode = bindings.TryGetValue(key, out var binding) ? binding.Node : null;
            var podStatus = PodMapper.StatusOf(pod, bindNode);
            var status = podStatus.ToString();
            var node = PodMapper.NodeOf(pod, bindNode);
            IReadOnlyList<string> gpuGroups = !SharesGpus(pod) || !podStatus.IsActiveUsed() ? []
                : podStatus == PodStatus.Binding ? binding.Groups
                : GpuGroupLabels.Read(pod.Metadata.Labels);
            string? previousNode = null;
            if (pipelined.TryGetValue(key, out var pipelineNode) && (status == nameof(PodStatus.Pending) || evictedFrom.ContainsKey(key)))
            {
                previousNode = evictedFrom.TryGetValue(key, out var left) && left != pipelineNode ? left : null;
                status = "Pipelined";
                node = pipelineNode;
                gpuGroups = pipelinedGroups.GetValueOrDefault(key) ?? [];
            }

            var groupName = pod.Metadata.Annotations?.TryGetValue(KaiConventions.PodGroupAnnotation, out var g) == true ? g : null;
            var groupIndex = groupName is null ? -1 : snapshot.FindGroup(ns, groupName);
            var queue = groupIndex >= 0 ? snapshot.Groups[groupIndex].QueueName : null;
            reports.Add(new PodReport(ns, pod.Metadata.Name, groupName, queue, status, node, gpuGroups, previousNode));
        }

        return reports;
    }

    /// <summary>Whether the pod asks for a share of GPUs (by fraction or by memory): only such pods are on GPU groups.</summary>
    private static bool SharesGpus(V1Pod pod) =>
        pod.Metadata.Annotations is { } annotations
        && (annotations.ContainsKey(KaiConventions.GpuFractionAnnotation) || annotations.ContainsKey(KaiConventions.GpuMemoryAnnotation));
}
