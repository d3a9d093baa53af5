using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// Per queue, whether any queue on its path to the root has a limit, or a quota, in one of the three queue resources:
/// <see cref="ProportionPlugin.CheckJob"/> refuses only against those, so a path with neither (or, for a preemptible
/// job, without limits) needs no walk. Worked out once per snapshot (settings are the snapshot's); a placement asks
/// the capacity of every job it tries, and most teams of a large cluster have no limit.
/// </summary>
internal sealed class QueuePathBounds
{
    private bool[] _limited = [];
    private bool[] _quotaBound = [];
    private object? _snapshot;

    /// <summary>Whether a job of <paramref name="queue"/> can be refused: a limit on its path, or a quota when the job is not preemptible.</summary>
    public bool MayRefuse(ClusterSnapshot snapshot, int queue, bool preemptible)
    {
        if (!ReferenceEquals(_snapshot, snapshot))
        {
            Compute(snapshot);
        }

        return _limited[queue] || (!preemptible && _quotaBound[queue]);
    }

    private void Compute(ClusterSnapshot snapshot)
    {
        var count = snapshot.Queues.Count;
        _limited = new bool[count];
        _quotaBound = new bool[count];
        for (var queue = 0; queue < count; queue++)
        {
            foreach (var q in snapshot.QueueAndAncestors(queue))
            {
                foreach (var resource in QueueResourceValues.All)
                {
                    var settings = snapshot.Queues[q][resource];
                    _limited[queue] |= settings.Limit != QueueResourceSettings.Unlimited;
                    _quotaBound[queue] |= settings.Quota != QueueResourceSettings.Unlimited;
                }
            }
        }

        _snapshot = snapshot;
    }
}
