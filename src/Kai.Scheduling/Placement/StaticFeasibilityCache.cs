using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Results of the static predicates (readiness, cordon, taints, node selector, affinity, GPU kind rules) per
/// constraint signature and GPU request kind and node, computed once per session: pods of one gang usually share a spec, so this is done per
/// equivalence class, not per pod. Each pod keeps a reference to its class's results, so a lookup on the node
/// search's hot path is an array index, not a hash of the signature string.
/// </summary>
internal sealed class StaticFeasibilityCache(Session session)
{
    private readonly Dictionary<string, PluginStatus[]> _bySignature = new(StringComparer.Ordinal);
    private readonly PluginStatus[]?[] _byPod = new PluginStatus[]?[session.Snapshot.Pods.Count];

    /// <summary>Success when the pod may run on the node as far as static predicates go, else the first rejection.</summary>
    public PluginStatus Check(int pod, int node) => ResultsFor(pod)[node];

    public PluginStatus[] ResultsFor(int pod) => _byPod[pod] ??= ResultsForSignatureOf(pod);

    private PluginStatus[] ResultsForSignatureOf(int pod)
    {
        // Static predicates read the pod's constraints and the kind of GPU it asks for (MIG and sharing rules).
        var definition = session.Snapshot.Pods[pod];
        var signature = definition.GpuKind == Model.GpuRequestKind.None ? definition.Constraints.Signature : $"{definition.Constraints.Signature}#{definition.GpuKind}";
        if (!_bySignature.TryGetValue(signature, out var results))
        {
            results = Compute(pod);
            _bySignature.Add(signature, results);
        }

        return results;
    }

    private PluginStatus[] Compute(int pod)
    {
        var predicates = session.Plugins.StaticPredicates;
        var results = new PluginStatus[session.Nodes.Length];
        for (var n = 0; n < results.Length; n++)
        {
            foreach (var predicate in predicates)
            {
                var status = predicate.Check(session, pod, session.NodeAt(n));
                if (!status.IsSuccess)
                {
                    results[n] = status;
                    break;
                }
            }
        }

        return results;
    }
}
