using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Explanations;

/// <summary>
/// Every node's verdict for pods of one shape (constraint signature, request, GPU request), with their counts, kept
/// from one failure to the next: only the nodes whose books changed in between are checked again (see
/// <see cref="NodeChangeLog"/>), so explaining many failing pods of one shape costs the changed nodes, not every node.
/// </summary>
internal sealed class NodeVerdicts
{
    private readonly PluginStatus[] _verdicts;
    private readonly Dictionary<PluginStatus, int> _counts = [];
    private int _fitting;
    private List<(PluginStatus Status, int Count)>? _reasons;

    /// <param name="nodes">Nodes of the session; every verdict starts as success.</param>
    public NodeVerdicts(int nodes)
    {
        _verdicts = new PluginStatus[nodes];
        _fitting = nodes;
    }

    /// <summary>The point of the session's <see cref="NodeChangeLog"/> the verdicts are true at.</summary>
    public long Version { get; set; }

    /// <summary>Nodes whose verdict is a success.</summary>
    public int Fitting => _fitting;

    /// <summary>The verdict of <paramref name="node"/> is now <paramref name="status"/>.</summary>
    public void Set(int node, in PluginStatus status)
    {
        var old = _verdicts[node];
        if (old == status)
        {
            return;
        }

        if (old.IsSuccess)
        {
            _fitting--;
        }
        else if (--_counts[old] == 0)
        {
            _counts.Remove(old);
        }

        if (status.IsSuccess)
        {
            _fitting++;
        }
        else
        {
            _counts[status] = _counts.GetValueOrDefault(status) + 1;
        }

        _verdicts[node] = status;
        _reasons = null;
    }

    /// <summary>The failing verdicts with how many nodes gave each, most frequent first, then by text.</summary>
    public List<(PluginStatus Status, int Count)> Reasons() =>
        _reasons ??= Sorted(_counts);

    /// <summary>Failing verdicts counted over nodes in explanation order: most frequent first, then by text.</summary>
    public static List<(PluginStatus Status, int Count)> Sorted(Dictionary<PluginStatus, int> counts) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.ToString(), StringComparer.Ordinal).Select(c => (c.Key, c.Value)).ToList();
}
