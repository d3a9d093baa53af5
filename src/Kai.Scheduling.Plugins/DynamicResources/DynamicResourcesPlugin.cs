using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.DynamicResources;

/// <summary>
/// KAI's dynamicresources plugin (Kubernetes' DynamicResources filter, for the claims the cluster adapter resolved): a
/// pod whose claim is allocated goes to the claim's node; a node must publish at least the devices its unallocated
/// claims need; and pods that share a claim go to one node — the node where another pod holding it was placed in
/// this session. The claims' GPUs count in the pods' requests, so fit and queue accounting need nothing more here.
/// </summary>
internal sealed class DynamicResourcesPlugin : INodePredicatePlugin, INodeLocalPredicate
{
    public const string PluginName = "dynamicresources";

    // Pods by the claims they use, built on first need (plugins are created per session).
    private Dictionary<string, List<int>>? _holders;

    public string Name => PluginName;

    public bool IsStatic => false;

    /// <summary>A pod without claims passes everywhere; one with claims follows the claims' other holders across nodes.</summary>
    public bool IsNodeLocal(ISessionView session, int pod) => session.Snapshot.Pods[pod].Claims.Count == 0;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, _ => new DynamicResourcesPlugin());

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        var claims = session.Snapshot.Pods[pod].Claims;
        if (claims.Count == 0)
        {
            return PluginStatus.Success;
        }

        var devices = 0;
        foreach (var claim in claims)
        {
            if (claim.AllocatedNode is { } allocated && !string.Equals(allocated, node.Node.Name, StringComparison.Ordinal))
            {
                return PluginStatus.Unresolvable($"resource claim {claim.Claim} is allocated on node {allocated}", Name);
            }

            devices += claim.Devices;
        }

        if (devices > node.Node.DraDevices)
        {
            return PluginStatus.Unresolvable($"the node publishes {node.Node.DraDevices} DRA devices; the pod's claims need {devices}", Name);
        }

        var holders = _holders ??= HoldersOf(session);
        foreach (var claim in claims)
        {
            if (!holders.TryGetValue(claim.Claim, out var others))
            {
                continue;
            }

            foreach (var other in others)
            {
                var at = session.NodeOf(other);
                if (other != pod && at >= 0 && at != node.Index && session.StatusOf(other).IsActiveAllocated())
                {
                    return PluginStatus.Unschedulable($"resource claim {claim.Claim} is shared with pod {session.Snapshot.Pods[other].Key}, placed on node {session.Nodes[at].Node.Name}", Name);
                }
            }
        }

        return PluginStatus.Success;
    }

    /// <summary>Claims used by more than one pod, with their pods.</summary>
    private static Dictionary<string, List<int>> HoldersOf(ISessionView session)
    {
        var byClaim = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var pods = session.Snapshot.Pods;
        for (var p = 0; p < pods.Count; p++)
        {
            foreach (var claim in pods[p].Claims)
            {
                if (!byClaim.TryGetValue(claim.Claim, out var list))
                {
                    list = [];
                    byClaim[claim.Claim] = list;
                }

                list.Add(p);
            }
        }

        foreach (var single in byClaim.Where(c => c.Value.Count < 2).Select(c => c.Key).ToList())
        {
            byClaim.Remove(single);
        }

        return byClaim;
    }
}
