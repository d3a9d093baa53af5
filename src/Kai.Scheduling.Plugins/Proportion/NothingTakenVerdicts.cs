using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// The reclaim victim filter's verdicts (<see cref="ReclaimRules.RejectVictim"/>), one per victim leaf queue: the last
/// reclaimer's, valid while the reclaimer's group and both levelled queues keep their versions. A victim search asks of
/// every group it could take, and the groups of one leaf share one verdict; sized by queues, not by groups or pods.
/// </summary>
/// <remarks>
/// The verdict reads the levelled victim queue's allocation, the levelled reclaimer queue's allocation, the reclaimer's
/// request (its allocation quantum, fixed while its group's version is) and settings fixed for the session: a ledger
/// version moves whenever its allocation does, so equal versions mean equal inputs.
/// </remarks>
internal sealed class NothingTakenVerdicts
{
    private Entry?[]? _byVictimLeaf;

    // The snapshot the verdicts were kept for: versions start from each session's pod counts, so another session's equal
    // versions say nothing (a plugin lives for one session; this keeps a reused one from answering from the last).
    private object? _snapshot;

    /// <summary>The verdict on <paramref name="victimGroup"/>'s leaf for <paramref name="reclaimer"/>: null, or why none of its pods may be taken.</summary>
    /// <param name="session">The session.</param>
    /// <param name="reclaimer">The reclaiming group.</param>
    /// <param name="victimGroup">The group that would be a victim.</param>
    /// <param name="texts">
    /// The refusals' words kept per queue (null: written at each verdict). A verdict is worked out again for every reclaimer,
    /// and its words were a new string each time, for every leaf of every search.
    /// </param>
    public string? RejectVictim(ISessionView session, int reclaimer, int victimGroup, FairShareRefusalTexts? texts = null)
    {
        var snapshot = session.Snapshot;
        var victimLeaf = snapshot.QueueOf(victimGroup);
        if (victimLeaf < 0 || snapshot.QueueOf(reclaimer) < 0)
        {
            return ReclaimRules.RejectVictim(session, reclaimer, victimGroup);
        }

        if (!ReferenceEquals(_snapshot, snapshot))
        {
            _snapshot = snapshot;
            _byVictimLeaf = null;
        }

        _byVictimLeaf ??= new Entry?[snapshot.Queues.Count];
        var entry = _byVictimLeaf[victimLeaf] ??= new Entry();
        var versions = session.Queues.Versions;
        var reclaimerVersion = session.Gangs.Version(reclaimer);
        if (entry.Reclaimer == reclaimer
            && entry.ReclaimerVersion == reclaimerVersion
            && versions[entry.LevelledReclaimer] == entry.LevelledReclaimerVersion
            && versions[entry.LevelledVictim] == entry.LevelledVictimVersion)
        {
            return entry.Verdict;
        }

        var (levelledReclaimer, levelledVictim) = entry.Reclaimer == reclaimer
            ? (entry.LevelledReclaimer, entry.LevelledVictim)
            : ReclaimRules.Levelled(session, reclaimer, victimGroup);
        entry.Reclaimer = reclaimer;
        entry.ReclaimerVersion = reclaimerVersion;
        entry.LevelledReclaimer = levelledReclaimer;
        entry.LevelledVictim = levelledVictim;
        entry.LevelledReclaimerVersion = versions[levelledReclaimer];
        entry.LevelledVictimVersion = versions[levelledVictim];
        entry.Verdict = ReclaimRules.RejectWithNothingTaken(session, reclaimer, levelledReclaimer, levelledVictim, texts);
        return entry.Verdict;
    }

    private sealed class Entry
    {
        public int Reclaimer = -1;
        public int ReclaimerVersion;
        public int LevelledReclaimer;
        public int LevelledVictim;
        public int LevelledReclaimerVersion;
        public int LevelledVictimVersion;
        public string? Verdict;
    }
}
