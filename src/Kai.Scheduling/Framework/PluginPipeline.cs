using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Placement;

namespace Kai.Scheduling.Framework;

/// <summary>
/// The enabled plugins, as one ordered array per extension point, plus the composition rules: orderings are
/// lexicographic (first non-zero wins, then KAI's fallbacks), predicates must all pass, scores are summed,
/// and for capacity only the first registered plugin counts.
/// </summary>
internal sealed class PluginPipeline
{
    public PluginPipeline(IReadOnlyList<ISchedulerPlugin> plugins)
    {
        SessionOpen = plugins.OfType<ISessionOpenPlugin>().ToArray();
        JobOrder = plugins.OfType<IJobOrderPlugin>().ToArray();
        PodOrder = plugins.OfType<IPodOrderPlugin>().ToArray();
        QueueOrder = plugins.OfType<IQueueOrderPlugin>().ToArray();
        StaticPredicates = plugins.OfType<INodePredicatePlugin>().Where(p => p.IsStatic).ToArray();
        DynamicPredicates = plugins.OfType<INodePredicatePlugin>().Where(p => !p.IsStatic).ToArray();
        Scorers = plugins.OfType<INodeScorePlugin>().ToArray();
        SelectiveScorers = Scorers.OfType<ISelectiveNodeScore>().ToArray();
        GpuOrder = plugins.OfType<IGpuOrderPlugin>().ToArray();
        Capacity = plugins.OfType<ICapacityPlugin>().FirstOrDefault();
        VictimFilters = plugins.OfType<IVictimFilterPlugin>().ToArray();
        VictimQueueFilters = plugins.OfType<IVictimQueueFilterPlugin>().ToArray();
        ScenarioValidators = plugins.OfType<IScenarioValidatorPlugin>().ToArray();
        ReclaimGate = plugins.OfType<IReclaimGatePlugin>().FirstOrDefault();
        NodeSets = plugins.OfType<INodeSetPlugin>().ToArray();
        ScoreBound = Scorers.Where(s => s is not ISelectiveNodeScore).Sum(s => s.Shape.Bound);

        // The node search's shape depends only on the score plugins, so it is decided once here; selective scores
        // are left out of it (a pod they score is placed by scoring every node).
        ScoreTiers = NodeScoreTiers.Plan([.. Scorers.Where(s => s is not ISelectiveNodeScore)]);
    }

    /// <summary>How the node search may use the node index (from the score plugins' shapes).</summary>
    public NodeScoreTiers ScoreTiers { get; }

    public IVictimFilterPlugin[] VictimFilters { get; }

    public IVictimQueueFilterPlugin[] VictimQueueFilters { get; }

    public IScenarioValidatorPlugin[] ScenarioValidators { get; }

    /// <summary>The first registered reclaim check (KAI uses only that one), if any.</summary>
    public IReclaimGatePlugin? ReclaimGate { get; }

    public ISessionOpenPlugin[] SessionOpen { get; }

    public IJobOrderPlugin[] JobOrder { get; }

    public IPodOrderPlugin[] PodOrder { get; }

    public IQueueOrderPlugin[] QueueOrder { get; }

    public INodePredicatePlugin[] StaticPredicates { get; }

    public INodePredicatePlugin[] DynamicPredicates { get; }

    public INodeScorePlugin[] Scorers { get; }

    /// <summary>The score plugins that score only some pods.</summary>
    public ISelectiveNodeScore[] SelectiveScorers { get; }

    /// <summary>Whether a selective score plugin scores this pod (the node search then scores every node).</summary>
    public bool ScoresSelectively(Session session, int pod)
    {
        foreach (var scorer in SelectiveScorers)
        {
            if (scorer.Scores(session, pod))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>GPU order plugins (gpupack, gpuspread): their scores are summed per candidate GPU.</summary>
    public IGpuOrderPlugin[] GpuOrder { get; }

    public ICapacityPlugin? Capacity { get; }

    /// <summary>Node-set plugins, in order (each splits the sets the previous chose).</summary>
    public INodeSetPlugin[] NodeSets { get; }

    /// <summary>The most the score plugins other than selective ones can add up to for one node (infinite when one is opaque).</summary>
    public double ScoreBound { get; }

    /// <summary>The verdict of the first dynamic predicate that rejects the pod on the node, or success when all pass.</summary>
    public PluginStatus CheckDynamic(Session session, int pod, NodeState node)
    {
        foreach (var predicate in DynamicPredicates)
        {
            var status = predicate.Check(session, pod, node);
            if (!status.IsSuccess)
            {
                return status;
            }
        }

        return PluginStatus.Success;
    }

    /// <summary>
    /// Whether every dynamic predicate's verdict for <paramref name="pod"/> on a node depends on that node only
    /// (<see cref="INodeLocalPredicate"/>): then a change of one node's books changes no other node's verdict.
    /// </summary>
    public bool DynamicChecksAreNodeLocal(Session session, int pod)
    {
        foreach (var predicate in DynamicPredicates)
        {
            if (predicate is not INodeLocalPredicate local || !local.IsNodeLocal(session, pod))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Job order: plugins, then the older pod group, then name.</summary>
    public int CompareJobs(Session session, int left, int right)
    {
        foreach (var plugin in JobOrder)
        {
            var result = plugin.CompareJobs(session, left, right);
            if (result != 0)
            {
                return result;
            }
        }

        var l = session.Snapshot.Groups[left];
        var r = session.Snapshot.Groups[right];
        var created = l.CreationTimestamp.CompareTo(r.CreationTimestamp);
        if (created != 0)
        {
            return created;
        }

        // Group indices follow namespace/name order, so the index is the name tie-breaker.
        return left.CompareTo(right);
    }

    /// <summary>Pod order within a group: plugins, then the older pod, then uid.</summary>
    public int ComparePods(Session session, int left, int right)
    {
        foreach (var plugin in PodOrder)
        {
            var result = plugin.ComparePods(session, left, right);
            if (result != 0)
            {
                return result;
            }
        }

        var l = session.Snapshot.Pods[left];
        var r = session.Snapshot.Pods[right];
        var created = l.CreationTimestamp.CompareTo(r.CreationTimestamp);
        if (created != 0)
        {
            return created;
        }

        var byUid = string.CompareOrdinal(l.Uid, r.Uid);
        return byUid != 0 ? byUid : PodKey.CompareOrdinal(l.Key, r.Key);
    }

    /// <summary>Queue order: plugins, then the older queue, then name.</summary>
    public int CompareQueues(Session session, in QueueCandidate left, in QueueCandidate right)
    {
        foreach (var plugin in QueueOrder)
        {
            var result = plugin.CompareQueues(session, left, right);
            if (result != 0)
            {
                return result;
            }
        }

        var l = session.Snapshot.Queues[left.Queue];
        var r = session.Snapshot.Queues[right.Queue];
        var created = l.CreationTimestamp.CompareTo(r.CreationTimestamp);
        return created != 0 ? created : string.CompareOrdinal(l.Name, r.Name);
    }
}
