using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>Runs a session's predicates (cached static ones, then dynamic ones) for one pod and node, by name.</summary>
internal static class Feasibility
{
    /// <returns>Null when every predicate passes, else the first failure.</returns>
    public static FitFailure? Check(Session session, string pod, string node)
    {
        var p = session.Pod(pod);
        var n = session.Node(node);
        if (session.FeasibilityCache.Check(p, n) is { } failure)
        {
            return failure;
        }

        foreach (var predicate in session.Plugins.DynamicPredicates)
        {
            if (predicate.Check(session, p, session.Nodes[n]) is { } dynamicFailure)
            {
                return dynamicFailure;
            }
        }

        return null;
    }

    /// <summary>A session over <paramref name="nodes"/> with one pending pod named "pod".</summary>
    public static Session Open(PodBuilder pod, params NodeBuilder[] nodes) =>
        new Cluster().With(nodes).With(A.PodGroup("j0").Pod("pod", _ => pod)).Open();
}
