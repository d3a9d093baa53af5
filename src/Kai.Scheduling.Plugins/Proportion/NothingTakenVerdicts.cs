using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// The reclaim victim filters' verdicts: <see cref="ReclaimRules.RejectVictim"/>'s one per victim leaf queue and
/// <see cref="ReclaimRules.RejectVictimQueue"/>'s one per queue, each the last reclaimer's, valid while the reclaimer's
/// group and both levelled queues keep their versions. A victim search asks of every group it could take and of every
/// queue its walk enters, and the groups of one leaf share one verdict; sized by queues, not by groups or pods.
/// </summary>
/// <remarks>
/// The verdict reads the levelled victim queue's allocation, the levelled reclaimer queue's allocation, the reclaimer's
/// request (its allocation quantum, fixed while its group's version is) and settings fixed for the session: a ledger
/// version moves whenever its allocation does, so equal versions mean equal inputs. Which queues are levelled depends
/// on the reclaimer and the queue alone (the tree is the snapshot's).
/// </remarks>
internal sealed class NothingTakenVerdicts
{
    private Entry?[]? _byVictimLeaf;
    private Entry?[]? _byQueue;

    // The snapshot the verdicts were kept for: versions start from each session's pod counts, so another session's equal
    // versions say nothing (a plugin lives for one session; this keeps a reused one from answering from the last).
    private object? _snapshot;

    /// <summary>The verdict on <paramref name="victimGroup"/>'s leaf for <paramref name="reclaimer"/>: null, or why none of its pods may be taken.</summary>
    public string? RejectVictim(ISessionView session, int reclaimer, int victimGroup)
    {
        var snapshot = session.Snapshot;
        var victimLeaf = snapshot.QueueOf(victimGroup);
        if (victimLeaf < 0 || snapshot.QueueOf(reclaimer) < 0)
        {
            return ReclaimRules.RejectVictim(session, reclaimer, victimGroup);
        }

        var entry = EntryOf(ref _byVictimLeaf, session, victimLeaf);
        if (entry.Reclaimer != reclaimer)
        {
            var (levelledReclaimer, levelledVictim) = ReclaimRules.Levelled(session, reclaimer, victimGroup);
            entry.Meet(reclaimer, levelledReclaimer, levelledVictim);
        }

        return entry.Verdict(session);
    }

    /// <summary>The verdict on the subtree of <paramref name="queue"/> for <paramref name="reclaimer"/>: null, or why none of its pods may be taken.</summary>
    public string? RejectVictimQueue(ISessionView session, int reclaimer, int queue)
    {
        if (session.Snapshot.QueueOf(reclaimer) < 0)
        {
            return ReclaimRules.RejectVictimQueue(session, reclaimer, queue);
        }

        var entry = EntryOf(ref _byQueue, session, queue);
        if (entry.Reclaimer != reclaimer)
        {
            entry.Meet(reclaimer, ReclaimRules.LevelledReclaimerBeside(session, reclaimer, queue), queue);
        }

        return entry.Verdict(session);
    }

    private Entry EntryOf(ref Entry?[]? table, ISessionView session, int queue)
    {
        var snapshot = session.Snapshot;
        if (!ReferenceEquals(_snapshot, snapshot))
        {
            _snapshot = snapshot;
            _byVictimLeaf = null;
            _byQueue = null;
        }

        table ??= new Entry?[snapshot.Queues.Count];
        return table[queue] ??= new Entry();
    }

    /// <summary>One queue's last verdict, with what it was worked out from.</summary>
    private sealed class Entry
    {
        private int _reclaimerVersion;
        private int _levelledReclaimer;
        private int _levelledVictim;
        private int _levelledReclaimerVersion;
        private int _levelledVictimVersion;
        private bool _current;
        private string? _verdict;

        public int Reclaimer { get; private set; } = -1;

        /// <summary>A new reclaimer and its levelled pair; a negative levelled reclaimer means no verdict but null.</summary>
        public void Meet(int reclaimer, int levelledReclaimer, int levelledVictim)
        {
            Reclaimer = reclaimer;
            _levelledReclaimer = levelledReclaimer;
            _levelledVictim = levelledVictim;
            _current = false;
        }

        /// <summary>The kept verdict while its inputs' versions hold, else worked out again.</summary>
        public string? Verdict(ISessionView session)
        {
            if (_levelledReclaimer < 0)
            {
                return null;
            }

            var versions = session.Queues.Versions;
            var reclaimerVersion = session.Gangs.Version(Reclaimer);
            if (_current
                && _reclaimerVersion == reclaimerVersion
                && versions[_levelledReclaimer] == _levelledReclaimerVersion
                && versions[_levelledVictim] == _levelledVictimVersion)
            {
                return _verdict;
            }

            _current = true;
            _reclaimerVersion = reclaimerVersion;
            _levelledReclaimerVersion = versions[_levelledReclaimer];
            _levelledVictimVersion = versions[_levelledVictim];
            _verdict = ReclaimRules.RejectWithNothingTaken(session, Reclaimer, _levelledReclaimer, _levelledVictim);
            return _verdict;
        }
    }
}
