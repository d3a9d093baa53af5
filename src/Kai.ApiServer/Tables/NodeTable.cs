using k8s;
using k8s.Models;

namespace Kai.ApiServer.Tables;

/// <summary>The columns of <c>kubectl get nodes</c> (and <c>-o wide</c>).</summary>
internal sealed class NodeTable : ITablePrinter
{
    private const string RolePrefix = "node-role.kubernetes.io/";

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Status", "string", "The status of the node"),
        new("Roles", "string", "The roles of the node"),
        TableColumn.AgeColumn,
        new("Version", "string", "Kubelet Version reported by the node."),
        new("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
        new("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
        new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
        new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
        new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
    ];

    public object?[] Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now)
    {
        var node = (V1Node)obj;
        var readyCondition = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var status = readyCondition?.Status switch
        {
            "True" => "Ready",
            "False" => "NotReady",
            _ => "Unknown",
        };
        if (node.Spec?.Unschedulable == true)
        {
            status += ",SchedulingDisabled";
        }

        var roles = (node.Metadata.Labels ?? new Dictionary<string, string>())
            .Select(l => l.Key.StartsWith(RolePrefix, StringComparison.Ordinal) ? l.Key[RolePrefix.Length..] : l.Key == "kubernetes.io/role" ? l.Value : null)
            .Where(r => !string.IsNullOrEmpty(r))
            .Order(StringComparer.Ordinal)
            .ToList();
        var info = node.Status?.NodeInfo;
        return
        [
            node.Metadata.Name,
            status,
            roles.Count == 0 ? "<none>" : string.Join(",", roles),
            HumanDuration.Since(node.Metadata.CreationTimestamp, now),
            info?.KubeletVersion ?? string.Empty,
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            OrUnknown(info?.OsImage),
            OrUnknown(info?.KernelVersion),
            OrUnknown(info?.ContainerRuntimeVersion),
        ];
    }

    private static string Address(V1Node node, string type) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == type)?.Address is { Length: > 0 } address ? address : "<none>";

    private static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;
}
