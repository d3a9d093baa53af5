using System.Globalization;
using k8s;
using k8s.Models;

namespace Kai.ApiServer.Tables;

/// <summary>The columns of <c>kubectl get pods</c> (and <c>-o wide</c>), computed as the API server's pod printer does.</summary>
internal sealed class PodTable : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        TableColumn.AgeColumn,
        new("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
        new("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
        new("Nominated Node", "string", "nominatedNodeName is set when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
        new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ];

    public object?[] Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now)
    {
        var pod = (V1Pod)obj;
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var total = pod.Spec?.Containers?.Count ?? 0;
        var ready = statuses.Count(s => s.Ready);

        // Our simulated kubelet reports readiness with the pod's Ready condition only, not per container.
        if (statuses.Count == 0 && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
        {
            ready = total;
        }

        var restarts = statuses.Sum(s => s.RestartCount);
        var reason = string.IsNullOrEmpty(pod.Status?.Reason) ? pod.Status?.Phase ?? "Pending" : pod.Status.Reason;
        foreach (var status in statuses)
        {
            if (status.State?.Waiting?.Reason is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (status.State?.Terminated?.Reason is { Length: > 0 } terminated)
            {
                reason = terminated;
            }
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            reason = pod.Status?.Reason == "NodeLost" ? "Unknown" : "Terminating";
        }

        var gates = pod.Spec?.ReadinessGates;
        var gatesText = gates is { Count: > 0 }
            ? $"{gates.Count(g => pod.Status?.Conditions?.Any(c => c.Type == g.ConditionType && c.Status == "True") == true)}/{gates.Count}"
            : "<none>";
        return
        [
            pod.Metadata.Name,
            string.Create(CultureInfo.InvariantCulture, $"{ready}/{total}"),
            reason,
            restarts.ToString(CultureInfo.InvariantCulture),
            HumanDuration.Since(pod.Metadata.CreationTimestamp, now),
            OrNone(pod.Status?.PodIP),
            OrNone(pod.Spec?.NodeName),
            OrNone(pod.Status?.NominatedNodeName),
            gatesText,
        ];
    }

    private static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;
}
