using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Controllers.Grouping;

/// <summary>
/// A pod's owners as KAI's pod-grouper finds them: follow <c>ownerReferences[0]</c> upward, checking that each
/// owner still has the uid the reference names, until an owner without owners — the top owner. An owner with more
/// than one owner is an error, and so is a missing one. A pod without owners is its own top owner.
/// </summary>
internal sealed record OwnerChain(ObjectView TopOwner, IReadOnlyList<ObjectView> Owners)
{
    // Owner chains in Kubernetes are a handful of levels; a longer chain is a loop.
    private const int MaxDepth = 32;

    /// <param name="pod">The pod.</param>
    /// <param name="cluster">Where owners are read.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="GroupingException">An owner is missing, was replaced, or has several owners.</exception>
    public static async ValueTask<OwnerChain> FindAsync(V1Pod pod, ICluster cluster, CancellationToken cancellationToken)
    {
        var podView = ObjectView.Of(pod, cluster.Kinds);
        if (pod.Metadata.OwnerReferences is not { Count: > 0 } references)
        {
            return new OwnerChain(podView, []);
        }

        var owners = new List<ObjectView>();
        var ns = pod.Metadata.NamespaceProperty;
        var next = references[0];
        while (true)
        {
            var kind = new KindKey(next.ApiVersion ?? string.Empty, next.Kind ?? string.Empty);
            var owner = await cluster.GetAsync(kind, ns, next.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new GroupingException($"failed to find {next.Kind}: <{ns}/{next.Name}>, uid: <{next.Uid}>: {Describe(kind, ns, next.Name, cluster)} not found");
            if (!string.Equals(owner.Metadata.Uid, next.Uid, StringComparison.Ordinal))
            {
                throw new GroupingException(
                    $"failed to find {next.Kind}: <{ns}/{next.Name}>, uid: <{next.Uid}>: owner resource with uid {next.Uid} not found (a newer object of that name has uid {owner.Metadata.Uid})");
            }

            var view = ObjectView.Of(owner, cluster.Kinds);
            owners.Add(view);
            var above = owner.Metadata.OwnerReferences;
            if (above is not { Count: > 0 })
            {
                return new OwnerChain(view, owners);
            }

            if (above.Count > 1)
            {
                var names = string.Join(", ", above.Select(o => $"{o.Kind}/{o.Name}"));
                throw new GroupingException($"found {next.Kind} <{next.Name} in namespace {ns}> with multiple owners: {names}");
            }

            if (owners.Count >= MaxDepth)
            {
                throw new GroupingException($"the owners of pod {ns}/{pod.Metadata.Name} are more than {MaxDepth} levels deep; an owner reference loop?");
            }

            next = above[0];
        }
    }

    private static string Describe(KindKey kind, string? ns, string name, ICluster cluster) =>
        cluster.Kinds.TryGet(kind, out var info) ? $"{info.Plural} \"{name}\"" : $"no kind {kind} is served, so {kind.Kind} {ns}/{name} is";
}
