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
/// The proportion plugin's facts for queue order, kept per queue while its allocation and fair share hold: its own facts
/// once, and those that involve the job per request (queue order reads a job only through its request in queue resources,
/// so jobs asking alike share them: a victim search's simulation compares one queue with many jobs), the last few jobs
/// asked about first. A victim candidate differs only in the share with the victims taken, worked out from its job's amounts.
/// </summary>
/// <remarks>
/// Sized by queues (one entry each, with at most <see cref="RequestsKept"/> requests and <see cref="JobsKept"/> jobs), not
/// by pods or groups. The ledger version is the quick test; when it moved, the facts still hold if the queue's allocation
/// and fair share (all they read of the ledger) are what they were: a simulated try that is rolled back moves the version
/// of every queue it touched but leaves their allocations as they were.
/// <see cref="Fresh"/> works every fact out from the session, the reference the property tests compare the kept ones with.
/// </remarks>
internal sealed class QueueOrderFacts
{
    /// <summary>Requests kept per queue and allocation; a further one replaces the oldest (the facts are worked out again alike).</summary>
    internal const int RequestsKept = 16;

    /// <summary>
    /// Jobs kept per queue and allocation: the walks and the pending order compare one queue with several of its jobs in
    /// turn (with one kept, 37 % of the look-ups at 4,000 nodes found another job there and looked its request up again).
    /// </summary>
    internal const int JobsKept = 4;

    private Entry?[]? _entries;

    // The snapshot the entries were kept for. Ledger versions start from each session's pod counts, so two sessions can
    // open with equal versions: a plugin reused for another session (its contract forbids it) must not read these.
    private object? _snapshot;

    /// <summary>
    /// Whether an entry whose ledger version moved is kept when the queue's allocation and fair share are as they were
    /// (false works the facts out again at every version; tests compare both).
    /// </summary>
    internal bool KeepsEqualAllocations { get; set; } = true;

    /// <summary>Whether <see cref="JobsKept"/> jobs are kept per entry (false keeps the last one only; tests compare both).</summary>
    internal bool KeepsSeveralJobs { get; set; } = true;

    /// <summary>Times an entry was kept though its ledger version had moved (for tests).</summary>
    internal int KeptAcrossVersions { get; private set; }

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
            ref readonly var allocated = ref session.Queues.Allocated[queue];
            ref readonly var fairShare = ref session.Queues.FairShare[queue];
            if (!(entry.Valid && KeepsEqualAllocations && entry.Allocated.Matches(allocated) && entry.FairShare.Matches(fairShare)))
            {
                entry.Allocated = new ResourceAmounts(allocated);
                entry.FairShare = new ResourceAmounts(fairShare);
                entry.RequestCount = 0;
                entry.JobCount = 0;
                entry.Own = OwnFacts(session, queue);
            }
            else
            {
                KeptAcrossVersions++;
            }

            entry.Valid = true;
            entry.LedgerVersion = version;
        }

        return entry;
    }

    /// <summary>The candidate's job facts from its queue's entry (<see cref="Of"/>, taken for the same version).</summary>
    public QueueJobFacts JobFacts(ISessionView session, Entry entry, in QueueCandidate candidate)
    {
        // The job's facts are kept beside the queue's own and read its allocatable shares: both must be of this version.
        Debug.Assert(entry.Valid && entry.LedgerVersion == session.Queues.Versions[candidate.Queue], "JobFacts needs the entry Of returned for this version");
        var job = candidate.BestJob;
        var jobVersion = job >= 0 ? session.Gangs.Version(job) : 0;
        ref readonly var kept = ref KeptJobOf(session, entry, candidate.Queue, job, jobVersion);
        if (candidate.TakenVictims is not { } taken)
        {
            return kept.Facts;
        }

        // Only the three queue resources enter a share: the difference in plain numbers, as the vectors would give it.
        var share = ProportionPlugin.DominantShare(
            in entry.Own,
            session.Queues.Total,
            kept.Cpu - taken.Cpu,
            kept.Memory - taken.Memory,
            kept.Gpu - taken.Gpu);
        return kept.Facts with { ShareWithJob = share };
    }

    /// <summary>The entry's slot for the job at this version: found, or worked out into a free (or the oldest) slot.</summary>
    private ref KeptJob KeptJobOf(ISessionView session, Entry entry, int queue, int job, int jobVersion)
    {
        var jobs = entry.Jobs;
        var capacity = KeepsSeveralJobs ? JobsKept : 1;
        var slot = -1;
        for (var i = 0; i < entry.JobCount; i++)
        {
            if (jobs[i].Job == job)
            {
                if (jobs[i].Version == jobVersion)
                {
                    return ref jobs[i];
                }

                // The same job at another version: its slot is of no further use.
                slot = i;
                break;
            }
        }

        if (slot < 0)
        {
            slot = entry.JobCount < capacity ? entry.JobCount++ : entry.NextJobReplaced++ % capacity;
        }

        var request = JobRequest(session, job);
        ref readonly var allocated = ref session.Queues.Allocated[queue];
        jobs[slot] = new KeptJob(
            job,
            jobVersion,
            FactsForRequest(session, entry, queue, allocated, request),
            allocated.Cpu + request.Cpu,
            allocated.Memory + request.Memory,
            allocated.Gpu + request.Gpu);
        return ref jobs[slot];
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

    /// <summary>CPU, memory and GPU of a ledger amount: what the kept facts read of it, compared to tell whether they hold.</summary>
    internal readonly record struct ResourceAmounts(long Cpu, long Memory, long Gpu)
    {
        public ResourceAmounts(in ResourceVector amount)
            : this(amount.Cpu, amount.Memory, amount.Gpu)
        {
        }

        public bool Matches(in ResourceVector amount) => Cpu == amount.Cpu && Memory == amount.Memory && Gpu == amount.Gpu;
    }

    /// <summary>A job's facts at one of its versions, with its queue resources plus the queue's allocation (what taken victims come off).</summary>
    internal readonly record struct KeptJob(int Job, int Version, QueueJobFacts Facts, long Cpu, long Memory, long Gpu);

    /// <summary>One queue's kept facts (fields, so that queue order reads them in place).</summary>
    internal sealed class Entry
    {
        public bool Valid;
        public int LedgerVersion;
        public ResourceAmounts Allocated;
        public ResourceAmounts FairShare;
        public QueueOwnFacts Own;

        public readonly KeptJob[] Jobs = new KeptJob[JobsKept];
        public int JobCount;
        public int NextJobReplaced;

        public readonly (long Cpu, long Memory, long Gpu, QueueJobFacts Facts)[] Requests = new (long, long, long, QueueJobFacts)[RequestsKept];
        public int RequestCount;
        public int NextReplaced;
    }
}
