using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Ordering;

/// <summary>
/// Candidate pod groups ordered by the queue tree (KAI's jobs-by-queues iterator): each pop descends from the
/// top-level queues to the best leaf, comparing sibling queues by queue order with the best job found down
/// each one, and takes that leaf's best job by job order.
/// </summary>
/// <remarks>
/// Deliberately better than KAI: queue positions are recomputed at every pop from live allocations, where
/// KAI re-sifts only the popped queue's path and leaves other queues at stale positions.
/// </remarks>
internal sealed class JobQueue
{
    private readonly Session _session;
    private readonly SortedSet<int>?[] _jobsByLeaf;
    private readonly int[] _pendingInSubtree;
    private readonly int _depth;

    // Per queue: a version bumped by every push and pop below it, and the best (queue, job) found down it when
    // last computed. With the ledger's allocation version this tells when a subtree's choice must be redone: a pop
    // changes one path, so the other subtrees keep their answer.
    private readonly int[] _structureVersion;
    private readonly (int Ledger, int Structure, QueueCandidate Best)[] _bestDown;

    // Per parent (the last slot for the top level): each sibling's state at the last scan and the best found up to it.
    // A pop changes one sibling per level; the siblings before it compare as they did, so the scan resumes there.
    private readonly SiblingScan?[] _scans;
    private readonly bool _resumeScans;

    /// <param name="session">The session.</param>
    /// <param name="groups">The candidate pod groups.</param>
    /// <param name="depth">Most candidates kept per leaf queue (the configured queue depth of the action); the worst by job order are dropped.</param>
    /// <param name="resumeScans">Whether a scan of siblings resumes at the first sibling that changed (false compares them all at every pop; tests compare both).</param>
    public JobQueue(Session session, IEnumerable<int> groups, int depth = int.MaxValue, bool resumeScans = true)
    {
        _session = session;
        _depth = depth;
        _resumeScans = resumeScans;
        var queues = session.Snapshot.Queues.Count;
        _scans = new SiblingScan?[queues + 1];
        _jobsByLeaf = new SortedSet<int>?[queues];
        _pendingInSubtree = new int[queues];
        _structureVersion = new int[queues];
        _bestDown = new (int, int, QueueCandidate)[queues];
        Array.Fill(_bestDown, (-1, -1, new QueueCandidate(-1, -1)));
        foreach (var group in groups)
        {
            Push(group);
        }
    }

    public bool IsEmpty => Array.TrueForAll(_session.Snapshot.TopLevelQueues, q => _pendingInSubtree[q] == 0);

    public void Push(int group)
    {
        var leaf = _session.Snapshot.QueueOf(group);
        if (leaf < 0)
        {
            return;
        }

        var jobs = _jobsByLeaf[leaf] ??= new SortedSet<int>(Comparer<int>.Create((a, b) => _session.Plugins.CompareJobs(_session, a, b)));
        if (!jobs.Add(group))
        {
            return;
        }

        foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
        {
            _pendingInSubtree[q]++;
            _structureVersion[q]++;
        }

        if (jobs.Count > _depth)
        {
            // Deliberately exact where KAI drops whatever sits at heap index N: the worst job goes.
            jobs.Remove(jobs.Max);
            foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
            {
                _pendingInSubtree[q]--;
            }
        }
    }

    public bool TryPop(out int group)
    {
        var best = BestAmong(_scans.Length - 1, _session.Snapshot.TopLevelQueues);
        if (best.Queue < 0)
        {
            group = -1;
            return false;
        }

        // BestAmong has just brought every subtree on the chosen path up to date, and each remembers which child
        // its best job came from: follow those down instead of comparing the siblings again.
        var leaf = best.Queue;
        while (!_session.Snapshot.IsLeaf(leaf))
        {
            leaf = _bestDown[leaf].Best.Queue;
        }

        var jobs = _jobsByLeaf[leaf]!;
        group = jobs.Min;
        jobs.Remove(group);
        foreach (var q in _session.Snapshot.QueueAndAncestors(leaf))
        {
            _pendingInSubtree[q]--;
            _structureVersion[q]++;
        }

        return true;
    }

    /// <summary>
    /// The best queue among siblings that still hold candidates, with the best job down its chain: a scan in sibling
    /// order that keeps the better of the best so far and each sibling. It resumes after the siblings whose state
    /// (allocation, pending jobs below, best job and that job's pods) is as at the last scan: queue order reads nothing
    /// else, so those steps would compare the same and keep the same best (exact even where queue order is not transitive).
    /// </summary>
    private QueueCandidate BestAmong(int parent, int[] siblings)
    {
        var scan = _scans[parent] ??= new SiblingScan(siblings.Length);
        var best = new QueueCandidate(-1, -1);
        var resumed = _resumeScans;
        for (var i = 0; i < siblings.Length; i++)
        {
            var q = siblings[i];
            var job = _pendingInSubtree[q] == 0 ? -1 : BestJob(q);
            var state = new SiblingState(_session.Queues.Versions[q], _structureVersion[q], job, job >= 0 ? _session.Gangs.Version(job) : 0);
            if (resumed && scan.Valid[i] && scan.States[i] == state)
            {
                best = scan.BestSoFar[i];
                continue;
            }

            resumed = false;
            if (job >= 0)
            {
                var candidate = new QueueCandidate(q, job);
                if (best.Queue < 0 || _session.Plugins.CompareQueues(_session, candidate, best) < 0)
                {
                    best = candidate;
                }
            }

            scan.Valid[i] = true;
            scan.States[i] = state;
            scan.BestSoFar[i] = best;
        }

        return best;
    }

    private int BestJob(int queue)
    {
        var ledger = _session.Queues.Versions[queue];
        var cached = _bestDown[queue];
        if (cached.Ledger == ledger && cached.Structure == _structureVersion[queue])
        {
            return cached.Best.BestJob;
        }

        var best = _session.Snapshot.IsLeaf(queue)
            ? new QueueCandidate(queue, _jobsByLeaf[queue]!.Min)
            : BestAmong(queue, _session.Snapshot.ChildrenOf(queue));
        _bestDown[queue] = (ledger, _structureVersion[queue], best);
        return best.BestJob;
    }

    /// <summary>What queue order reads of one sibling: its ledger version, the version of its pending jobs, its best job and that job's version.</summary>
    private readonly record struct SiblingState(int Ledger, int Structure, int Job, int JobVersion);

    /// <summary>One parent's last scan of its children.</summary>
    private sealed class SiblingScan(int count)
    {
        public bool[] Valid { get; } = new bool[count];

        public SiblingState[] States { get; } = new SiblingState[count];

        public QueueCandidate[] BestSoFar { get; } = new QueueCandidate[count];
    }
}
