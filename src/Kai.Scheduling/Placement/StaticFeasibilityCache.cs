using System.Runtime.CompilerServices;
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
    private readonly Dictionary<(string Signature, Model.GpuRequestKind Kind), PluginStatus[]> _bySignature = [];
    private readonly PluginStatus[]?[] _byPod = new PluginStatus[]?[session.Snapshot.Pods.Count];

    // The class of the last pod looked up: pods are first looked up gang by gang, and a gang's pods mostly share one, so
    // comparing with it (a reference or an ordinal string comparison) spares hashing the signature again.
    private (string Signature, Model.GpuRequestKind Kind) _lastKey;
    private PluginStatus[]? _lastResults;

    /// <summary>Success when the pod may run on the node as far as static predicates go, else the first rejection.</summary>
    public PluginStatus Check(int pod, int node) => ResultsFor(pod)[node];

    public PluginStatus[] ResultsFor(int pod) => _byPod[pod] ??= ResultsForSignatureOf(pod);

    private PluginStatus[] ResultsForSignatureOf(int pod)
    {
        // Static predicates read the pod's constraints and the kind of GPU it asks for (MIG and sharing rules).
        var definition = session.Snapshot.Pods[pod];
        // A pair, not a joined string: one string per pod was made and hashed at each pod's first look-up.
        var signature = (definition.Constraints.Signature, definition.GpuKind);
        if (_lastResults is { } last && _lastKey.Kind == signature.GpuKind
            && (ReferenceEquals(_lastKey.Signature, signature.Signature) || string.Equals(_lastKey.Signature, signature.Signature, StringComparison.Ordinal)))
        {
            return last;
        }

        if (!_bySignature.TryGetValue(signature, out var results))
        {
            results = Compute(pod);
            _bySignature.Add(signature, results);
        }

        _lastKey = signature;
        _lastResults = results;
        return results;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
