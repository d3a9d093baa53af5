using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The nodes that hold any pod of one request and constraint signature as the session stands, each with how many it
/// holds, each resource counted on its own (<see cref="VictimNodeReach"/>'s over-estimate): read in one pass over the
/// nodes, once per victim search, since every step of the search starts from the same session state.
/// </summary>
internal sealed class StandingRoom(Session session, int pod, List<(int Node, long Holds)> nodes)
{
    /// <summary>The nodes that hold any such pod, with how many (no cap).</summary>
    public List<(int Node, long Holds)> Nodes => nodes;

    /// <summary>The same by node (built at the first call; shared by the proofs of every step this room serves).</summary>
    public Dictionary<int, long> HoldsByNode
    {
        get
        {
            if (_holdsByNode is null)
            {
                _holdsByNode = new Dictionary<int, long>(nodes.Count);
                foreach (var (node, holds) in nodes)
                {
                    _holdsByNode[node] = holds;
                }
            }

            return _holdsByNode;
        }
    }

    private Dictionary<int, long>? _holdsByNode;

    /// <summary>Whether <paramref name="other"/> has the request and the static verdicts this room was counted for.</summary>
    public bool Serves(int other)
    {
        var mine = session.Snapshot.Pods[pod];
        var theirs = session.Snapshot.Pods[other];
        return mine.Request == theirs.Request && mine.Gpu == theirs.Gpu
            && ReferenceEquals(session.FeasibilityCache.ResultsFor(pod), session.FeasibilityCache.ResultsFor(other));
    }
}
