using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>Runs a session's predicates (cached static ones, then dynamic ones) for one pod and node, by name.</summary>
internal static class Feasibility
{
    /// <returns>Success when every predicate passes, else the first rejection.</returns>
    public static PluginStatus Check(Session session, string pod, string node)
    {
        var p = session.Pod(pod);
        var n = session.Node(node);
        var status = session.FeasibilityCache.Check(p, n);
        return status.IsSuccess ? session.Plugins.CheckDynamic(session, p, session.Nodes[n]) : status;
    }

    /// <summary>A session over <paramref name="nodes"/> with one pending pod named "pod".</summary>
    public static Session Open(PodBuilder pod, params NodeBuilder[] nodes) =>
        new Cluster().With(nodes).With(A.PodGroup("j0").Pod("pod", _ => pod)).Open();
}
