using System.Diagnostics;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>What queue order reads of a queue alone: fixed while the queue's ledger version is.</summary>
internal readonly record struct QueueOwnFacts(
    bool OverFairShare,
    int Priority,
    double Share,
    double AllocatableCpu,
    double AllocatableMemory,
    double AllocatableGpu);

/// <summary>What queue order reads of a queue with its next job (and the victims taken from it, if any).</summary>
internal readonly record struct QueueJobFacts(bool WithinDeserved, bool UsesZeroShare, double ShareWithJob);

/// <summary>
/// The proportion plugin's facts for queue order, kept per queue until its ledger version moves: its own facts once, and
/// those that involve the job per request (queue order reads a job only through its request in queue resources, so jobs
/// asking alike share them: a victim search's simulation compares one queue with many jobs), the last job asked about
/// first. A victim candidate differs only in the share with the victims taken, worked out from the last job's amounts.
/// </summary>
/// <remarks>
/// Sized by queues (one entry each, with at most <see cref="RequestsKept"/> requests), not by pods or groups.
/// <see cref="Fresh"/> works every fact out from the session, the reference the property tests compare the kept ones with.
/// </remarks>
internal sealed class QueueOrderFacts
{
    /// <summary>Requests kept per queue and version; a further one replaces the oldest (the facts are worked out again alike).</summary>
    internal const int RequestsKept = 16;

    // No job at all is -1 (a queue with nothing waiting): "nothing asked yet" must differ from it.
    private const int NoJob = int.MinValue;

    private Entry?[]? _entries;

    // The snapshot the entries were kept for. Ledger versions start from each session's pod counts, so two sessions can
    // open with equal versions: a plugin reused for another session (its contract forbids it) must not read these.
    private object? _snapshot;

    /// <summary>The entry of <paramref name="queue"/>, its own facts brought up to the queue's ledger version.</summary>
    public Entry Of(ISessionView session, int queue)
    {
        if (!ReferenceEquals(_snapshot, session.Snapshot))
        {
            _snapshot = session.Snapshot;
            _entries = null;
        }

        _entries ??= new Entry?[session.Snapshot.Queues.Count];
        var entry = _entries[queue] ??= new Entry();
        var version = session.Queues.Versions[queue];
        if (!entry.Valid || entry.LedgerVersion != version)
        {
            entry.Valid = true;
            entry.LedgerVersion = version;
            entry.RequestCount = 0;
            entry.LastJob = NoJob;
            entry.Own = OwnFacts(session, queue);
        }

        return entry;
    }

    /// <summary>The candidate's job facts from its queue's entry (<see cref="Of"/>, taken for the same version).</summary>
    public static QueueJobFacts JobFacts(ISessionView session, Entry entry, in QueueCandidate candidate)
    {
        // The job's facts are kept beside the queue's own and read its allocatable shares: both must be of this version.
        Debug.Assert(entry.Valid && entry.LedgerVersion == session.Queues.Versions[candidate.Queue], "JobFacts needs the entry Of returned for this version");
        var job = candidate.BestJob;
        var jobVersion = job >= 0 ? session.Gangs.Version(job) : 0;
        if (entry.LastJob != job || entry.LastJobVersion != jobVersion)
        {
            var request = JobRequest(session, job);
            var allocated = session.Queues.Allocated[candidate.Queue];
            entry.LastJob = job;
            entry.LastJobVersion = jobVersion;
            entry.LastJobFacts = FactsForRequest(session, entry, candidate.Queue, allocated, request);
            entry.LastCpu = allocated.Cpu + request.Cpu;
            entry.LastMemory = allocated.Memory + request.Memory;
            entry.LastGpu = allocated.Gpu + request.Gpu;
        }

        if (candidate.TakenVictims is not { } taken)
        {
            return entry.LastJobFacts;
        }

        // Only the three queue resources enter a share: the difference in plain numbers, as the vectors would give it.
        var share = ProportionPlugin.DominantShare(
            in entry.Own,
            session.Queues.Total,
            entry.LastCpu - taken.Cpu,
            entry.LastMemory - taken.Memory,
            entry.LastGpu - taken.Gpu);
        return entry.LastJobFacts with { ShareWithJob = share };
    }

    /// <summary>Every fact of the candidate worked out from the session, nothing kept.</summary>
    public static (QueueOwnFacts Own, QueueJobFacts Job) Fresh(ISessionView session, in QueueCandidate candidate)
    {
        var own = OwnFacts(session, candidate.Queue);
        var withJob = session.Queues.Allocated[candidate.Queue] + JobRequest(session, candidate.BestJob);
        var job = new QueueJobFacts(
            ProportionPlugin.WithinDeserved(session, candidate.Queue, withJob),
            UsesZeroShare(own, withJob),
            ProportionPlugin.DominantShare(session, candidate.Queue, withJob));
        return candidate.TakenVictims is { } taken
            ? (own, job with { ShareWithJob = ProportionPlugin.DominantShare(session, candidate.Queue, withJob - taken.QueueResources) })
            : (own, job);
    }

    private static QueueJobFacts FactsForRequest(ISessionView session, Entry entry, int queue, in ResourceVector allocated, in ResourceVector request)
    {
        var kept = entry.Requests;
        for (var i = 0; i < entry.RequestCount; i++)
        {
            ref readonly var k = ref kept[i];
            if (k.Cpu == request.Cpu && k.Memory == request.Memory && k.Gpu == request.Gpu)
            {
                return k.Facts;
            }
        }

        var withJob = allocated + request;
        var facts = new QueueJobFacts(
            ProportionPlugin.WithinDeserved(session, queue, withJob),
            UsesZeroShare(entry.Own, withJob),
            ProportionPlugin.DominantShare(in entry.Own, session.Queues.Total, withJob.Cpu, withJob.Memory, withJob.Gpu));
        var slot = entry.RequestCount < RequestsKept ? entry.RequestCount++ : entry.NextReplaced++ % RequestsKept;
        kept[slot] = (request.Cpu, request.Memory, request.Gpu, facts);
        return facts;
    }

    /// <summary>The facts that do not involve the job.</summary>
    private static QueueOwnFacts OwnFacts(ISessionView session, int queue) => new(
        ProportionPlugin.IsOverFairShare(session.Queues, queue),
        session.Snapshot.Queues[queue].Priority,
        ProportionPlugin.DominantShare(session, queue, session.Queues.Allocated[queue]),
        ProportionPlugin.AllocatableShare(session, queue, QueueResource.Cpu),
        ProportionPlugin.AllocatableShare(session, queue, QueueResource.Memory),
        ProportionPlugin.AllocatableShare(session, queue, QueueResource.Gpu));

    /// <summary>Whether the amount uses a resource of which the queue has no share.</summary>
    private static bool UsesZeroShare(in QueueOwnFacts queue, in ResourceVector withJob) =>
        (queue.AllocatableCpu == 0 && withJob.Cpu > 0) || (queue.AllocatableMemory == 0 && withJob.Memory > 0) || (queue.AllocatableGpu == 0 && withJob.Gpu > 0);

    private static ResourceVector JobRequest(ISessionView session, int group) =>
        group >= 0 ? session.Quantum.InitRequest(group).QueueResources : ResourceVector.Zero;

    /// <summary>One queue's kept facts (fields, so that queue order reads them in place).</summary>
    internal sealed class Entry
    {
        public bool Valid;
        public int LedgerVersion;
        public QueueOwnFacts Own;
        public int LastJob = NoJob;
        public int LastJobVersion;
        public QueueJobFacts LastJobFacts;

        // The last job's queue resources with the queue's allocation (what a victim candidate's taken victims come off).
        public long LastCpu;
        public long LastMemory;
        public long LastGpu;

        public readonly (long Cpu, long Memory, long Gpu, QueueJobFacts Facts)[] Requests = new (long, long, long, QueueJobFacts)[RequestsKept];
        public int RequestCount;
        public int NextReplaced;
    }
}
