using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Ordering;

/// <summary>
/// Every pod group with a pending pod (KAI's "all pending jobs", <see cref="PendingGroups.WithPendingPods"/>), per
/// leaf queue in job order, with each group's request class: the order a victim search simulates in, kept for the
/// whole cycle; a commit's groups are merged back into their leaves' order, which is never sorted again.
/// </summary>
/// <remarks>
/// A group's request class numbers its allocation quantum's request in queue resources, the only thing queue order
/// reads of a job (<see cref="Framework.Extensions.IQueueOrderPlugin"/>): <see cref="SimulationOrder"/> decides for
/// every group of a class in a leaf at once instead of popping them one by one. Job order reads only a group's own
/// state, and a group's pods change only through a commit (which lists it in <see cref="Session.TouchedGroups"/>),
/// so a leaf nobody touched keeps its order, its classes and its members.
/// </remarks>
internal sealed class PendingOrder
{
    private readonly Session _session;
    private readonly List<int>?[] _groupsOfLeaf;
    private readonly Leaf?[] _leaves;
    private readonly int[] _positionOf;
    private readonly int[] _classOf;
    private readonly int[] _countInSubtree;
    private readonly Dictionary<ResourceVector, int> _classIds = [];
    private readonly (long Left, long Right, int Result)[] _recent = NewRecent();
    private readonly LedgerStates _states;
    private int _syncedTouches;
    private SimulationWorkspace? _workspace;
    private int _statesGeneration = 1;

    /// <summary>Sorts every leaf; <see cref="Sync"/> catches up with later commits.</summary>
    public PendingOrder(Session session)
    {
        _session = session;
        var snapshot = session.Snapshot;
        var queues = snapshot.Queues.Count;
        _groupsOfLeaf = new List<int>?[queues];
        _leaves = new Leaf?[queues];
        _countInSubtree = new int[queues];
        _positionOf = new int[snapshot.Groups.Count];
        Array.Fill(_positionOf, -1);
        _classOf = new int[snapshot.Groups.Count];
        _states = new LedgerStates(session.Queues);
        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            var leaf = snapshot.QueueOf(g);
            if (leaf >= 0)
            {
                (_groupsOfLeaf[leaf] ??= []).Add(g);
            }
        }

        for (var leaf = 0; leaf < queues; leaf++)
        {
            if (_groupsOfLeaf[leaf] is not null)
            {
                Rebuild(leaf);
            }
        }

        _syncedTouches = session.TouchedGroups.Count;
    }

    /// <summary>
    /// Whether remembered comparisons name each queue's state by its ledger content (<see cref="LedgerStates"/>) rather
    /// than its version: a try that evicts victims and rolls them back gives the victims' queues new versions every
    /// time, but the same few allocations again and again. Off only in tests that compare the walk either way.
    /// </summary>
    internal bool NameStatesByContent { get; init; } = true;

    /// <summary>
    /// Whether a <see cref="SimulationOrder"/> over this order tells its acted groups by a stamp in the workspace's
    /// per-group marks instead of a set built per try. Off only in tests that compare the walk either way.
    /// </summary>
    internal bool StampsActedGroups { get; init; } = true;

    /// <summary>
    /// Whether a victim search's first phase (<see cref="SimulationOrder.RecordFirstPhase"/>) is written into the
    /// workspace's kept arrays instead of new ones per search; off only in tests that compare.
    /// </summary>
    internal bool LendsFirstPhaseBooks { get; init; } = true;

    /// <summary>Tries that replayed their search's first phase instead of walking up to the preemptor (for tests).</summary>
    internal int FirstPhasesReplayed { get; set; }

    /// <summary>
    /// Whether a <see cref="SimulationOrder"/> over this order finds a queue's best child with a kept
    /// <see cref="ChildTournament"/> (only changed children played again) instead of comparing every child. Off only in
    /// tests that compare the walk either way.
    /// </summary>
    internal bool PlaysChildTournaments { get; init; } = true;

    /// <summary>Comparisons whose key was made from a prepared one (for tests).</summary>
    internal int PreparedComparisons { get; private set; }

    /// <summary>Prepared keys found made under states' numbers given anew since, and made whole again (for tests).</summary>
    internal int StalePreparedKeys { get; private set; }

    /// <summary>Times the states' numbers were given anew (for tests).</summary>
    internal int StatesNumberedAnew => _statesGeneration - 1;

    /// <summary>Times a queue's new ledger version named a state met before (<see cref="LedgerStates.Recurred"/>; for tests).</summary>
    internal int RecurringStates => _states.Recurred;

    /// <summary>The books a <see cref="SimulationOrder"/> over this order borrows (one order at a time).</summary>
    public SimulationWorkspace Workspace => _workspace ??= new SimulationWorkspace(_session.Snapshot.Queues.Count, _session.Snapshot.Groups.Count);

    /// <summary>A leaf's pending groups in job order (null when it has none).</summary>
    public Leaf? Of(int leaf) => _leaves[leaf];

    /// <summary>Where a group stands in its leaf's <see cref="Leaf.Jobs"/>, or -1 when it has no pending pod.</summary>
    public int PositionOf(int group) => _positionOf[group];

    /// <summary>A pending group's request class (meaningless for a group without a pending pod).</summary>
    public int ClassOf(int group) => _classOf[group];

    /// <summary>Pending groups below each queue (itself included).</summary>
    public ReadOnlySpan<int> CountInSubtree => _countInSubtree;

    /// <summary>
    /// Queue order between two queues, each with a job of a request class, remembered (in a direct-mapped table, so
    /// until another key takes its slot) under both queues' ledger states (a state names one allocation, so an answer is
    /// reused wherever both queues are as they were: across the tries of a search and across searches until a commit
    /// changes them).
    /// </summary>
    public int CompareClasses(int leftQueue, int leftJob, int rightQueue, int rightJob)
    {
        var leftClass = _classOf[leftJob];
        var rightClass = _classOf[rightJob];
        if ((uint)(leftQueue | rightQueue | leftClass | rightClass) >= 1u << 16)
        {
            return _session.Plugins.CompareQueues(_session, new QueueCandidate(leftQueue, leftJob), new QueueCandidate(rightQueue, rightJob));
        }

        ForgetStatesWhenFull();

        // Queue and class in 16 bits each, the queue's state (its version, or its content's number) in 32: one long per side.
        var key = (((long)leftQueue << 48) | ((long)leftClass << 32) | (uint)StateOf(leftQueue), ((long)rightQueue << 48) | ((long)rightClass << 32) | (uint)StateOf(rightQueue));
        return Remembered(key.Item1, key.Item2, leftQueue, leftJob, rightQueue, rightJob);
    }

    /// <summary>
    /// The parts of <see cref="CompareClasses"/>'s key that stay while one queue's jobs of several classes are compared
    /// with one runner-up (a pass-over of a <see cref="SimulationOrder"/>): the left queue and its state, the right
    /// side whole. Read once instead of at every class; valid while no state number was given anew.
    /// </summary>
    public ClassComparison Prepare(int leftQueue, int rightQueue, int rightJob)
    {
        var rightClass = _classOf[rightJob];
        if (!PreparesComparisons || (uint)(leftQueue | rightQueue | rightClass) >= 1u << 16)
        {
            return default;
        }

        ForgetStatesWhenFull();
        var left = ((long)leftQueue << 48) | (uint)StateOf(leftQueue);
        var right = ((long)rightQueue << 48) | ((long)rightClass << 32) | (uint)StateOf(rightQueue);
        return new ClassComparison(left, right, _statesGeneration);
    }

    /// <summary>
    /// <see cref="CompareClasses"/> with the key's steady parts from <see cref="Prepare"/>; the full key is made again
    /// when the states' numbers were given anew since (a comparison in between can do that).
    /// </summary>
    public int ComparePrepared(in ClassComparison prepared, int leftQueue, int leftJob, int rightQueue, int rightJob)
    {
        var leftClass = _classOf[leftJob];
        if (prepared.Generation != _statesGeneration || (uint)leftClass >= 1u << 16)
        {
            StalePreparedKeys += prepared.Generation != 0 && prepared.Generation != _statesGeneration ? 1 : 0;
            return CompareClasses(leftQueue, leftJob, rightQueue, rightJob);
        }

        PreparedComparisons++;
        return Remembered(prepared.LeftQueueAndState | ((long)leftClass << 32), prepared.Right, leftQueue, leftJob, rightQueue, rightJob);
    }

    /// <summary>
    /// Whether <see cref="Prepare"/> gives the steady parts of a key (else it gives nothing, and every comparison makes its
    /// whole key). Off only in tests that compare the walk either way.
    /// </summary>
    internal bool PreparesComparisons { get; init; } = true;

    /// <summary>
    /// States numbered before the numbers are given anew: a state's key holds three resource vectors (about 150 bytes
    /// with its entry), 2^17 of them stay near 20 MB. Settable for tests, which need it small.
    /// </summary>
    internal int MaxRememberedStates { get; init; } = 1 << 17;

    // At most MaxRememberedStates: the numbers are given anew (before the next key is made), and no answer under the old
    // ones may be read, nor a prepared key made with them (its generation tells).
    private void ForgetStatesWhenFull()
    {
        if (_states.Count >= MaxRememberedStates)
        {
            _states.Clear();
            Array.Fill(_recent, (-1L, -1L, 0));
            _statesGeneration++;
        }
    }

    private int Remembered(long left, long right, int leftQueue, int leftJob, int rightQueue, int rightJob)
    {
        // A direct-mapped table answers the comparisons asked again and again. A key that misses is nearly always one
        // never asked before (a commit or a try gave a queue a new state): a dictionary behind the table found about 1 %
        // of the look-ups at 4,000 nodes, and cost more than the plugin's comparisons it saved.
        ref var recent = ref _recent[(int)((ulong)((left * 31) ^ right) * 0x9E3779B97F4A7C15UL >> (64 - RecentBits))];
        if (recent.Left == left && recent.Right == right)
        {
            return recent.Result;
        }

        var result = _session.Plugins.CompareQueues(_session, new QueueCandidate(leftQueue, leftJob), new QueueCandidate(rightQueue, rightJob));
        recent = (left, right, result);
        return result;
    }

    private int StateOf(int queue) => NameStatesByContent ? _states.Of(queue) : _session.Queues.Versions[queue];

    /// <summary>
    /// Catches up with the commits since the last call: in each leaf they touched, the touched groups leave the order
    /// and those still pending go back where job order puts them now. The others keep their order (job order reads
    /// only a group's own state, and a total order at that: a merge gives what a full sort would).
    /// </summary>
    public void Sync()
    {
        var touched = _session.TouchedGroups;
        if (_syncedTouches == touched.Count)
        {
            return;
        }

        var byLeaf = new Dictionary<int, HashSet<int>>();
        for (; _syncedTouches < touched.Count; _syncedTouches++)
        {
            var group = touched[_syncedTouches];
            var leaf = _session.Snapshot.QueueOf(group);
            if (leaf >= 0)
            {
                if (!byLeaf.TryGetValue(leaf, out var groups))
                {
                    byLeaf[leaf] = groups = [];
                }

                groups.Add(group);
            }
        }

        foreach (var (leaf, groups) in byLeaf)
        {
            Update(leaf, groups);
        }
    }

    /// <summary>A leaf's order with its touched groups taken out and those still pending merged back in.</summary>
    private void Update(int leaf, HashSet<int> touched)
    {
        var session = _session;
        var kept = (_leaves[leaf]?.Jobs ?? []).Where(g => !touched.Contains(g)).ToList();
        var back = touched.Where(g => PendingGroups.HasCandidatePods(session, g)).ToArray();
        Array.Sort(back, (a, b) => session.Plugins.CompareJobs(session, a, b));
        var merged = new int[kept.Count + back.Length];
        var from = 0;
        var next = 0;
        foreach (var group in back)
        {
            // Every kept group job order puts before this one goes first (binary search over the kept order).
            var low = from;
            var high = kept.Count;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (session.Plugins.CompareJobs(session, kept[middle], group) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            kept.CopyTo(from, merged, next, low - from);
            next += low - from;
            from = low;
            merged[next++] = group;
        }

        kept.CopyTo(from, merged, next, kept.Count - from);
        Publish(leaf, merged);
    }

    private void Rebuild(int leaf)
    {
        var session = _session;
        var jobs = _groupsOfLeaf[leaf]!.Where(g => PendingGroups.HasCandidatePods(session, g)).ToArray();
        Array.Sort(jobs, (a, b) => session.Plugins.CompareJobs(session, a, b));
        Publish(leaf, jobs);
    }

    /// <summary>Makes <paramref name="jobs"/> (in job order) the leaf's order: positions, request classes and counts.</summary>
    private void Publish(int leaf, int[] jobs)
    {
        var session = _session;
        var before = _leaves[leaf]?.Jobs.Length ?? 0;
        if (_leaves[leaf] is { } old)
        {
            foreach (var group in old.Jobs)
            {
                _positionOf[group] = -1;
            }
        }

        var classes = new int[jobs.Length];
        var positionsByClass = new Dictionary<int, List<int>>();
        for (var i = 0; i < jobs.Length; i++)
        {
            _positionOf[jobs[i]] = i;
            var request = session.Quantum.InitRequest(jobs[i]).QueueResources;
            if (!_classIds.TryGetValue(request, out var id))
            {
                id = _classIds.Count;
                _classIds[request] = id;
            }

            classes[i] = id;
            _classOf[jobs[i]] = id;
            if (!positionsByClass.TryGetValue(id, out var positions))
            {
                positionsByClass[id] = positions = [];
            }

            positions.Add(i);
        }

        _leaves[leaf] = jobs.Length == 0 ? null : new Leaf(jobs, classes, [.. positionsByClass.Values.Select(p => p.ToArray())]);
        var delta = jobs.Length - before;
        if (delta != 0)
        {
            foreach (var q in session.Snapshot.QueueAndAncestors(leaf))
            {
                _countInSubtree[q] += delta;
            }
        }
    }

    private const int RecentBits = 15;

    // An empty slot holds a key no comparison has (every bit set: queue, class and version all at their maximum).
    private static (long Left, long Right, int Result)[] NewRecent()
    {
        var recent = new (long, long, int)[1 << RecentBits];
        Array.Fill(recent, (-1L, -1L, 0));
        return recent;
    }

    /// <summary>
    /// One leaf's pending groups in job order, the request class of each, and per class present the ascending
    /// positions of its groups.
    /// </summary>
    internal sealed record Leaf(int[] Jobs, int[] Classes, int[][] PositionsByClass);

    /// <summary>
    /// The steady parts of a remembered comparison's key (<see cref="Prepare"/>), made under the states' numbers of
    /// <paramref name="Generation"/> (0: none made, the whole key is made at every comparison).
    /// </summary>
    internal readonly record struct ClassComparison(long LeftQueueAndState, long Right, int Generation);
}
