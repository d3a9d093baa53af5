using Kai.Scheduling.Configuration;
using Kai.Scheduling.Explanations;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// KAI's proportion plugin: computes hierarchical fair shares at session open, orders queues (fair share,
/// quota, priority, DRF), and enforces queue limits and non-preemptible quota.
/// </summary>
internal sealed class ProportionPlugin(ProportionOptions options, bool allowConsolidatingReclaim)
    : ISessionOpenPlugin, IQueueOrderPlugin, ICapacityPlugin, IReclaimGatePlugin, IScenarioValidatorPlugin, IVictimFilterPlugin, IVictimQueueFilterPlugin
{
    public const string PluginName = "proportion";

    private readonly ReclaimRules _reclaim = new(options.ReclaimerSaturationMultiplier, allowConsolidatingReclaim);
    // No job at all is -1 (a queue with nothing waiting): "nothing asked yet" must differ from it.
    private const int NoJob = int.MinValue;

    private QueueFactsEntry?[]? _facts;

    public string Name => PluginName;

    public ProportionOptions Options { get; } = options;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, ProportionOptions.Bind, (options, context) => new ProportionPlugin(options, context.Configuration.AllowConsolidatingReclaim));

    public void OnSessionOpen(ISessionView session, SessionSetup setup) => FairShareCalculator.Compute(session, setup, Options.KValue);

    public PluginStatus CheckReclaimer(ISessionView session, int group) => Status(ReclaimRules.RejectReclaimer(session, group));

    public PluginStatus FilterVictim(ISessionView session, ActionKind action, int preemptor, int victimGroup) =>
        action == ActionKind.Reclaim ? Status(ReclaimRules.RejectVictim(session, preemptor, victimGroup)) : PluginStatus.Success;

    public PluginStatus FilterVictimQueue(ISessionView session, ActionKind action, int preemptor, int queue) =>
        action == ActionKind.Reclaim ? Status(ReclaimRules.RejectVictimQueue(session, preemptor, queue)) : PluginStatus.Success;

    public PluginStatus Validate(ISessionView session, ActionKind action, EvictionScenario scenario) =>
        action == ActionKind.Reclaim ? Status(_reclaim.Validate(session, scenario)) : PluginStatus.Success;

    public int CompareQueues(ISessionView session, in QueueCandidate left, in QueueCandidate right)
    {
        var l = FactsOf(session, left);
        var r = FactsOf(session, right);

        // 1. Queues above their fair share in every resource go after those that are not.
        if (l.OverFairShare != r.OverFairShare)
        {
            return l.OverFairShare ? 1 : -1;
        }

        // 2. Queues that stay within their deserved quota with their next job go first.
        if (l.WithinDeserved != r.WithinDeserved)
        {
            return l.WithinDeserved ? -1 : 1;
        }

        // 3. Higher queue priority first.
        if (l.Priority != r.Priority)
        {
            return l.Priority > r.Priority ? -1 : 1;
        }

        // 4. A queue that would use a resource it has no share of goes last.
        if (l.UsesZeroShare != r.UsesZeroShare)
        {
            return l.UsesZeroShare ? 1 : -1;
        }

        // 5. Smaller dominant resource share with the next job (minus victims already taken) first.
        if (l.ShareWithJob != r.ShareWithJob)
        {
            return l.ShareWithJob < r.ShareWithJob ? -1 : 1;
        }

        // 6. Smaller dominant resource share as things are.
        if (l.Share != r.Share)
        {
            return l.Share < r.Share ? -1 : 1;
        }

        // 7. The "weaker" queue (smaller allocatable share) first.
        var allocatableOrder = CompareAllocatable(l, r);
        if (allocatableOrder != 0)
        {
            return allocatableOrder;
        }

        // 8. The older queue first.
        var lQueue = session.Snapshot.Queues[left.Queue];
        var rQueue = session.Snapshot.Queues[right.Queue];
        var created = lQueue.CreationTimestamp.CompareTo(rQueue.CreationTimestamp);
        return created != 0 ? created : string.CompareOrdinal(lQueue.Name, rQueue.Name);
    }

    /// <summary>
    /// What queue order looks at, for one queue and its next job. Cached per queue until its allocation changes: the
    /// queue's own facts once, and those that involve the job per request (queue order reads a job only through its
    /// request, so jobs asking alike share them: a victim search's simulation compares one queue with many jobs). A
    /// victim candidate differs only in the share with the victims taken, so it reuses the rest.
    /// </summary>
    private QueueFacts FactsOf(ISessionView session, in QueueCandidate candidate)
    {
        var queue = candidate.Queue;
        var jobVersion = candidate.BestJob >= 0 ? session.Gangs.Version(candidate.BestJob) : 0;
        _facts ??= new QueueFactsEntry[session.Snapshot.Queues.Count];
        var entry = _facts[queue] ??= new QueueFactsEntry();
        var ledger = session.Queues;
        var allocated = ledger.Allocated[queue];
        if (entry.LedgerVersion != ledger.Versions[queue] || !entry.Valid)
        {
            entry.Valid = true;
            entry.LedgerVersion = ledger.Versions[queue];
            entry.ByRequest.Clear();
            entry.LastJob = NoJob;
            entry.QueueOnly = QueueOnlyFacts(session, queue);
        }

        QueueFacts facts;
        if (entry.LastJob == candidate.BestJob && entry.LastJobVersion == jobVersion)
        {
            facts = entry.LastFacts;
        }
        else
        {
            var request = JobRequest(session, candidate.BestJob);
            if (!entry.ByRequest.TryGetValue(request, out facts))
            {
                var withJob = allocated + request;
                var own = entry.QueueOnly;
                facts = own with
                {
                    WithinDeserved = WithinDeserved(session, queue, withJob),
                    UsesZeroShare = UsesZeroShare(own, withJob),
                    ShareWithJob = DominantShare(own, session.Queues.Total, withJob),
                };
                entry.ByRequest[request] = facts;
            }

            entry.LastJob = candidate.BestJob;
            entry.LastJobVersion = jobVersion;
            entry.LastFacts = facts;
        }

        if (candidate.TakenVictims is { } taken)
        {
            var withJob = allocated + JobRequest(session, candidate.BestJob);
            facts = facts with { ShareWithJob = DominantShare(facts, session.Queues.Total, withJob - taken.QueueResources) };
        }

        return facts;
    }

    /// <summary>The facts that do not involve the job (those that do are left false or 0).</summary>
    private static QueueFacts QueueOnlyFacts(ISessionView session, int queue) => new(
        IsOverFairShare(session.Queues, queue),
        WithinDeserved: false,
        session.Snapshot.Queues[queue].Priority,
        UsesZeroShare: false,
        ShareWithJob: 0,
        DominantShare(session, queue, session.Queues.Allocated[queue]),
        AllocatableShare(session, queue, QueueResource.Cpu),
        AllocatableShare(session, queue, QueueResource.Memory),
        AllocatableShare(session, queue, QueueResource.Gpu));

    public PluginStatus CheckJob(ISessionView session, int group, in ResourceVector request)
    {
        var leaf = session.Snapshot.QueueOf(group);
        if (leaf < 0)
        {
            return PluginStatus.Success;
        }

        var preemptible = session.IsPreemptible(group);
        foreach (var q in session.Snapshot.QueueAndAncestors(leaf))
        {
            var queue = session.Snapshot.Queues[q];
            foreach (var resource in QueueResourceValues.All)
            {
                var requested = QueueResourceValues.Of(request, resource);
                if (requested <= 0)
                {
                    continue;
                }

                var settings = queue[resource];
                var allocated = QueueResourceValues.Of(session.Queues.Allocated[q], resource);
                if (settings.Limit != QueueResourceSettings.Unlimited && settings.Limit < allocated + requested)
                {
                    // Evicting lower-priority pods of the same queue can bring it back under its limit (preempt).
                    return PluginStatus.Unschedulable(
                        $"queue {queue.Name} has reached its {QueueResourceValues.KubernetesName(resource)} limit: limit is {QueueResourceValues.Format(resource, settings.Limit)}, " +
                        $"{QueueResourceValues.Format(resource, allocated)} are allocated and the workload requests {QueueResourceValues.Format(resource, requested)}.",
                        Name) with { ExplanationReason = GroupExplanation.OverLimit };
                }

                if (!preemptible && settings.Quota != QueueResourceSettings.Unlimited)
                {
                    var nonPreemptible = QueueResourceValues.Of(session.Queues.AllocatedNonPreemptible[q], resource);
                    if (settings.Quota < nonPreemptible + requested)
                    {
                        // Only evicting non-preemptible pods could make room, and they are never evicted.
                        return PluginStatus.Unresolvable(
                            $"non-preemptible workload is over quota: it requests {QueueResourceValues.Format(resource, requested)}, queue {queue.Name} quota is " +
                            $"{QueueResourceValues.Format(resource, settings.Quota)}, and {QueueResourceValues.Format(resource, nonPreemptible)} are already allocated to non-preemptible pods. " +
                            "Use a preemptible workload (priority below 100, or preemptibility: preemptible) to go over quota.",
                            Name) with { ExplanationReason = GroupExplanation.NonPreemptibleOverQuota };
                    }
                }
            }
        }

        return PluginStatus.Success;
    }

    /// <summary>Fair share strictly below allocation in all three resources.</summary>
    internal static bool IsOverFairShare(QueueLedger ledger, int queue)
    {
        var fairShare = ledger.FairShare[queue];
        var allocated = ledger.Allocated[queue];
        return fairShare.Cpu < allocated.Cpu && fairShare.Memory < allocated.Memory && fairShare.Gpu < allocated.Gpu;
    }

    internal static bool WithinDeserved(ISessionView session, int queue, in ResourceVector amount)
    {
        var settings = session.Snapshot.Queues[queue];
        foreach (var resource in QueueResourceValues.All)
        {
            if (!QueueShare.LessEqual(QueueResourceValues.Of(amount, resource), settings[resource].Quota))
            {
                return false;
            }
        }

        return true;
    }

    internal static double AllocatableShare(ISessionView session, int queue, QueueResource resource)
    {
        var settings = session.Snapshot.Queues[queue][resource];
        return QueueShare.Allocatable(settings.Quota, QueueResourceValues.Of(session.Queues.FairShare[queue], resource), settings.Limit);
    }

    internal static double DominantShare(ISessionView session, int queue, in ResourceVector allocated) =>
        DominantShare(
            AllocatableShare(session, queue, QueueResource.Cpu),
            AllocatableShare(session, queue, QueueResource.Memory),
            AllocatableShare(session, queue, QueueResource.Gpu),
            session.Queues.Total,
            allocated);

    /// <summary>
    /// <see cref="DominantShare(ISessionView, int, in ResourceVector)"/> with the queue's allocatable shares as its facts
    /// hold them (the same values: they read only the queue's settings and fair share, fixed while the facts are).
    /// </summary>
    private static double DominantShare(in QueueFacts queue, in ResourceVector total, in ResourceVector allocated) =>
        DominantShare(queue.AllocatableCpu, queue.AllocatableMemory, queue.AllocatableGpu, total, allocated);

    /// <summary>The largest of the allocated amounts' shares (at least 0), given the queue's allocatable share of each resource.</summary>
    private static double DominantShare(double cpuShare, double memoryShare, double gpuShare, in ResourceVector total, in ResourceVector allocated) =>
        Math.Max(
            Math.Max(
                Math.Max(0.0, QueueShare.Ratio(allocated.Cpu, cpuShare, total.Cpu)),
                QueueShare.Ratio(allocated.Memory, memoryShare, total.Memory)),
            QueueShare.Ratio(allocated.Gpu, gpuShare, total.Gpu));

    /// <summary>Whether the amount uses a resource of which the queue (its facts' allocatable shares) has no share.</summary>
    private static bool UsesZeroShare(in QueueFacts queue, in ResourceVector withJob) =>
        (queue.AllocatableCpu == 0 && withJob.Cpu > 0) || (queue.AllocatableMemory == 0 && withJob.Memory > 0) || (queue.AllocatableGpu == 0 && withJob.Gpu > 0);

    private static ResourceVector JobRequest(ISessionView session, int group) =>
        group >= 0 ? session.Quantum.InitRequest(group).QueueResources : ResourceVector.Zero;

    private static int CompareAllocatable(in QueueFacts left, in QueueFacts right)
    {
        bool lessEqualAll = true, lessInOne = false, greaterEqualAll = true, greaterInOne = false;
        ReadOnlySpan<double> lValues = [left.AllocatableCpu, left.AllocatableMemory, left.AllocatableGpu];
        ReadOnlySpan<double> rValues = [right.AllocatableCpu, right.AllocatableMemory, right.AllocatableGpu];
        for (var i = 0; i < lValues.Length; i++)
        {
            var l = lValues[i];
            var r = rValues[i];
            lessEqualAll &= QueueShare.LessEqual(l, r);
            lessInOne |= l < r;
            greaterEqualAll &= QueueShare.LessEqual(r, l);
            greaterInOne |= r < l;
        }

        if (lessInOne && lessEqualAll)
        {
            return -1;
        }

        return greaterInOne && greaterEqualAll ? 1 : 0;
    }

    private PluginStatus Status(string? rejection) => rejection is null ? PluginStatus.Success : PluginStatus.Unschedulable(rejection, Name);

    private readonly record struct QueueFacts(
        bool OverFairShare,
        bool WithinDeserved,
        int Priority,
        bool UsesZeroShare,
        double ShareWithJob,
        double Share,
        double AllocatableCpu,
        double AllocatableMemory,
        double AllocatableGpu);

    /// <summary>One queue's cached facts: valid for one ledger version; the last job asked about, and facts per request.</summary>
    private sealed class QueueFactsEntry
    {
        public bool Valid { get; set; }

        public int LedgerVersion { get; set; }

        public QueueFacts QueueOnly { get; set; }

        public Dictionary<ResourceVector, QueueFacts> ByRequest { get; } = [];

        public int LastJob { get; set; } = NoJob;

        public int LastJobVersion { get; set; }

        public QueueFacts LastFacts { get; set; }
    }
}
