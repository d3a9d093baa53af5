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
    private readonly QueueOrderFacts _facts = new();
    private readonly NothingTakenVerdicts _verdicts = new();
    private readonly QueuePathBounds _bounds = new();
    private readonly FairShareRefusalTexts _texts = new();

    public string Name => PluginName;

    public ProportionOptions Options { get; } = options;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, ProportionOptions.Bind, (options, context) => new ProportionPlugin(options, context.Configuration.AllowConsolidatingReclaim));

    public void OnSessionOpen(ISessionView session, SessionSetup setup) => FairShareCalculator.Compute(session, setup, Options.KValue);

    public PluginStatus CheckReclaimer(ISessionView session, int group) => Status(ReclaimRules.RejectReclaimer(session, group));

    public PluginStatus FilterVictim(ISessionView session, ActionKind action, int preemptor, int victimGroup) =>
        action != ActionKind.Reclaim ? PluginStatus.Success
        : Status(RemembersVictimVerdicts ? _verdicts.RejectVictim(session, preemptor, victimGroup, KeepsRefusalTextsPerQueue ? _texts : null) : ReclaimRules.RejectVictim(session, preemptor, victimGroup));

    public PluginStatus FilterVictimQueue(ISessionView session, ActionKind action, int preemptor, int queue) =>
        action == ActionKind.Reclaim ? Status(ReclaimRules.RejectVictimQueue(session, preemptor, queue, KeepsRefusalTextsPerQueue ? _texts : null)) : PluginStatus.Success;

    public PluginStatus Validate(ISessionView session, ActionKind action, EvictionScenario scenario) =>
        action == ActionKind.Reclaim ? Status(_reclaim.Validate(session, scenario)) : PluginStatus.Success;

    /// <summary>
    /// Whether queue comparisons read the facts kept per queue and ledger version (<see cref="QueueOrderFacts"/>). Off
    /// only in tests, which compare with every fact worked out from the session at each comparison.
    /// </summary>
    internal bool KeepsQueueFacts { get; init; } = true;

    /// <summary>
    /// Whether the kept queue facts outlive a ledger version that moved while the queue's allocation and fair share came
    /// back to what they were (<see cref="QueueOrderFacts.KeepsEqualAllocations"/>). Off only in tests.
    /// </summary>
    internal bool KeepsFactsOfEqualAllocations
    {
        get => _facts.KeepsEqualAllocations;
        init => _facts.KeepsEqualAllocations = value;
    }

    /// <summary>Times the kept queue facts outlived a moved ledger version (for tests).</summary>
    internal int QueueFactsKeptAcrossVersions => _facts.KeptAcrossVersions;

    /// <summary>Whether the kept queue facts hold several jobs per queue (<see cref="QueueOrderFacts.JobsKept"/>). Off only in tests.</summary>
    internal bool KeepsSeveralJobFacts
    {
        get => _facts.KeepsSeveralJobs;
        init => _facts.KeepsSeveralJobs = value;
    }

    /// <summary>
    /// Whether the reclaim victim filter's verdicts are kept per victim leaf queue (<see cref="NothingTakenVerdicts"/>).
    /// Off only in tests, which compare with the rules asked at every victim.
    /// </summary>
    internal bool RemembersVictimVerdicts { get; init; } = true;

    /// <summary>
    /// Whether the victim-queue filter's refusals take their words from those kept per queue (<see cref="FairShareRefusalTexts"/>)
    /// instead of writing them at every refusal. Off only in tests.
    /// </summary>
    internal bool KeepsRefusalTextsPerQueue { get; init; } = true;

    /// <summary>
    /// Whether <see cref="CheckJob"/> lets a job through at once when no queue on its path has a limit (nor, for a
    /// non-preemptible job, a quota): <see cref="QueuePathBounds"/>. Off only in tests, which compare with the walk.
    /// </summary>
    internal bool SkipsUnboundedPaths { get; init; } = true;

    public int CompareQueues(ISessionView session, in QueueCandidate left, in QueueCandidate right)
    {
        if (!KeepsQueueFacts)
        {
            var (lOwn, lJob) = QueueOrderFacts.Fresh(session, left);
            var (rOwn, rJob) = QueueOrderFacts.Fresh(session, right);
            return Compare(session, left, right, lOwn, lJob, rOwn, rJob);
        }

        // Each candidate's job facts are read from the entry Of just brought to the queue's ledger version.
        var l = _facts.Of(session, left.Queue);
        var r = _facts.Of(session, right.Queue);
        var lJobFacts = _facts.JobFacts(session, l, left);
        var rJobFacts = _facts.JobFacts(session, r, right);
        return Compare(session, left, right, in l.Own, lJobFacts, in r.Own, rJobFacts);
    }

    private static int Compare(
        ISessionView session, in QueueCandidate left, in QueueCandidate right, in QueueOwnFacts l, QueueJobFacts lJob, in QueueOwnFacts r, QueueJobFacts rJob)
    {
        // 1. Queues above their fair share in every resource go after those that are not.
        if (l.OverFairShare != r.OverFairShare)
        {
            return l.OverFairShare ? 1 : -1;
        }

        // 2. Queues that stay within their deserved quota with their next job go first.
        if (lJob.WithinDeserved != rJob.WithinDeserved)
        {
            return lJob.WithinDeserved ? -1 : 1;
        }

        // 3. Higher queue priority first.
        if (l.Priority != r.Priority)
        {
            return l.Priority > r.Priority ? -1 : 1;
        }

        // 4. A queue that would use a resource it has no share of goes last.
        if (lJob.UsesZeroShare != rJob.UsesZeroShare)
        {
            return lJob.UsesZeroShare ? 1 : -1;
        }

        // 5. Smaller dominant resource share with the next job (minus victims already taken) first.
        if (lJob.ShareWithJob != rJob.ShareWithJob)
        {
            return lJob.ShareWithJob < rJob.ShareWithJob ? -1 : 1;
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

    public PluginStatus CheckJob(ISessionView session, int group, in ResourceVector request)
    {
        var leaf = session.Snapshot.QueueOf(group);
        if (leaf < 0)
        {
            return PluginStatus.Success;
        }

        var preemptible = session.IsPreemptible(group);
        if (SkipsUnboundedPaths && !_bounds.MayRefuse(session.Snapshot, leaf, preemptible))
        {
            return PluginStatus.Success;
        }

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
                    return OverLimit(queue.Name, resource, settings.Limit, allocated, requested);
                }

                if (!preemptible && settings.Quota != QueueResourceSettings.Unlimited)
                {
                    var nonPreemptible = QueueResourceValues.Of(session.Queues.AllocatedNonPreemptible[q], resource);
                    if (settings.Quota < nonPreemptible + requested)
                    {
                        // Only evicting non-preemptible pods could make room, and they are never evicted.
                        return NonPreemptibleOverQuota(queue.Name, resource, settings.Quota, nonPreemptible, requested);
                    }
                }
            }
        }

        return PluginStatus.Success;
    }

    /// <summary>
    /// Whether <see cref="CheckJob"/>'s refusals carry their words as a <see cref="DeferredReason"/>, written when read
    /// (false writes them at once; tests compare both).
    /// </summary>
    internal bool DefersRefusalTexts { get; init; } = true;

    private PluginStatus OverLimit(string queue, QueueResource resource, long limit, long allocated, long requested) =>
        (DefersRefusalTexts
            ? PluginStatus.Unschedulable(new QueueLimitRefusal(queue, resource, limit, allocated, requested), Name)
            : PluginStatus.Unschedulable(QueueLimitRefusal.Words(queue, resource, limit, allocated, requested), Name))
        with { ExplanationReason = GroupExplanation.OverLimit };

    private PluginStatus NonPreemptibleOverQuota(string queue, QueueResource resource, long quota, long nonPreemptible, long requested) =>
        (DefersRefusalTexts
            ? PluginStatus.Unresolvable(new NonPreemptibleQuotaRefusal(queue, resource, quota, nonPreemptible, requested), Name)
            : PluginStatus.Unresolvable(NonPreemptibleQuotaRefusal.Words(queue, resource, quota, nonPreemptible, requested), Name))
        with { ExplanationReason = GroupExplanation.NonPreemptibleOverQuota };

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
    /// <see cref="DominantShare(ISessionView, int, in ResourceVector)"/> of an amount given in its three queue resources,
    /// with the queue's allocatable shares as its facts hold them (the same values: they read only the queue's settings
    /// and fair share, fixed while the facts are).
    /// </summary>
    internal static double DominantShare(in QueueOwnFacts queue, in ResourceVector total, long cpu, long memory, long gpu) =>
        DominantShare(queue.AllocatableCpu, queue.AllocatableMemory, queue.AllocatableGpu, total, cpu, memory, gpu);

    /// <summary>The largest of the allocated amounts' shares (at least 0), given the queue's allocatable share of each resource.</summary>
    private static double DominantShare(double cpuShare, double memoryShare, double gpuShare, in ResourceVector total, in ResourceVector allocated) =>
        DominantShare(cpuShare, memoryShare, gpuShare, total, allocated.Cpu, allocated.Memory, allocated.Gpu);

    /// <summary>The one formula: the largest of the three amounts' shares (at least 0).</summary>
    private static double DominantShare(double cpuShare, double memoryShare, double gpuShare, in ResourceVector total, long cpu, long memory, long gpu) =>
        Math.Max(
            Math.Max(
                Math.Max(0.0, QueueShare.Ratio(cpu, cpuShare, total.Cpu)),
                QueueShare.Ratio(memory, memoryShare, total.Memory)),
            QueueShare.Ratio(gpu, gpuShare, total.Gpu));

    private static int CompareAllocatable(in QueueOwnFacts left, in QueueOwnFacts right)
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
}
