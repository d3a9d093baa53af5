using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.DynamicResources;

/// <summary>
/// KAI's dynamicresources plugin (Kubernetes' DynamicResources filter, for the claims the cluster adapter resolved): a
/// pod whose claim is allocated goes to the claim's node; a claim another pod took devices for in this session keeps
/// its pods on that node; and every other claim needs enough devices of its requests' classes on the node that no
/// claim holds — or, for a pipelined placement, that claims being released hold (the session's
/// <see cref="Framework.Devices.DraBook"/>). Claimed GPUs are also in the pods' requests, so fit and queue accounting
/// need nothing more here.
/// </summary>
internal sealed class DynamicResourcesPlugin : INodePredicatePlugin, INodeLocalPredicate
{
    public const string PluginName = "dynamicresources";

    public string Name => PluginName;

    public bool IsStatic => false;

    /// <summary>A pod without claims passes everywhere; one with claims follows the claims' other holders across nodes.</summary>
    public bool IsNodeLocal(ISessionView session, int pod) => session.Snapshot.Pods[pod].Claims.Count == 0;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, _ => new DynamicResourcesPlugin());

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        var claims = session.Snapshot.Pods[pod].Claims;
        if (claims.Count == 0 || session.DraDevices is not { } devices)
        {
            return PluginStatus.Success;
        }

        foreach (var claim in claims)
        {
            if (claim.AllocatedNode is { } allocated && !string.Equals(allocated, node.Node.Name, StringComparison.Ordinal))
            {
                return PluginStatus.Unresolvable($"resource claim {claim.Claim} is allocated on node {allocated}", Name);
            }

            var at = devices.NodeOfClaim(claim.Claim);
            if (claim.AllocatedNode is null && at >= 0 && at != node.Index && !OnlyThisPodHolds(session, pod, at, claim.Claim))
            {
                return PluginStatus.Unschedulable($"resource claim {claim.Claim} is shared with pods placed on node {session.Nodes[at].Node.Name}", Name);
            }
        }

        var fit = devices.Fit(session, pod, node.Index, releasingToo: true);
        return fit.Success ? PluginStatus.Success
            : fit.Unresolvable ? PluginStatus.Unresolvable(fit.Reason!, Name)
            : PluginStatus.Unschedulable(fit.Reason!, Name);
    }

    /// <summary>Whether the claim held on <paramref name="at"/> is held there only through this pod (which is being moved).</summary>
    private static bool OnlyThisPodHolds(ISessionView session, int pod, int at, string claim) =>
        session.NodeOf(pod) == at && session.StatusOf(pod).IsActiveUsed() && session.DraDevices!.UsersOf(claim) == 1;
}
