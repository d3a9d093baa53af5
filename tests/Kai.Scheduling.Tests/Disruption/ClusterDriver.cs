using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Disruption;

/// <summary>What happens to an evicted pod once it has finished terminating.</summary>
internal enum EvictedPodFate
{
    /// <summary>It is gone, as a deleted bare pod is.</summary>
    Deleted,

    /// <summary>Its controller recreates it: a pending pod with the same name and a new uid takes its place.</summary>
    Recreated,
}

/// <summary>One cycle run by the <see cref="ClusterDriver"/>: its input, the linked snapshot and the result.</summary>
internal sealed record CycleRecord(int Index, ClusterState Input, ClusterSnapshot Snapshot, CycleResult Result);

/// <summary>
/// Runs the engine cycle after cycle over a <see cref="ClusterState"/>, producing each next state the way the
/// embedded cluster would, and nothing more:
/// <list type="bullet">
/// <item>bind: the pod is Running on its node (binding is instant);</item>
/// <item>evict: the pod is Releasing on its node for one cycle, then gone (or, with
/// <see cref="EvictedPodFate.Recreated"/>, replaced by a pending copy with a new uid, nominated to the node it was
/// pipelined to when it was moved); a pod already Releasing in
/// the input (terminating from the start) also finishes after that cycle;</item>
/// <item>pipeline: nothing is written, the pod stays Pending (a moved pod is evicted: Releasing);</item>
/// <item>pod groups in <see cref="CycleResult.StartedGroups"/> get <c>LastStartTimestamp</c> = the cycle's Now;
/// <see cref="CycleResult.StaleSince"/> entries are written (null clears);</item>
/// <item>Now advances by <see cref="Period"/>.</item>
/// </list>
/// Pods keep their place in the pod list (a recreated pod takes the place of the one it replaces), so the
/// next snapshot is built from the same order.
/// </summary>
internal sealed class ClusterDriver(SchedulerConfiguration configuration, ClusterState initial, EvictedPodFate evicted = EvictedPodFate.Deleted)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    private readonly SchedulingEngine _engine = new(configuration, KaiPlugins.Registry);
    private readonly List<CycleRecord> _history = [];

    public ClusterState State { get; private set; } = initial;

    public SchedulerConfiguration Configuration => _engine.Configuration;

    public IReadOnlyList<CycleRecord> History => _history;

    /// <summary>Runs one cycle over <see cref="State"/> and moves on to the next state.</summary>
    public CycleRecord Step()
    {
        var snapshot = SnapshotBuilder.Build(State);
        var result = _engine.RunCycle(snapshot);
        var record = new CycleRecord(_history.Count, State, snapshot, result);
        _history.Add(record);
        State = Next(State, result, evicted, _history.Count);
        return record;
    }

    /// <summary>Runs <paramref name="cycles"/> cycles, calling <paramref name="check"/> after each.</summary>
    public IReadOnlyList<CycleRecord> Run(int cycles, Action<CycleRecord>? check = null)
    {
        for (var i = 0; i < cycles; i++)
        {
            var record = Step();
            check?.Invoke(record);
        }

        return _history;
    }

    /// <summary>The state after one cycle with <paramref name="result"/> over <paramref name="state"/>.</summary>
    /// <param name="generation">Makes the uids of recreated pods unique.</param>
    public static ClusterState Next(ClusterState state, CycleResult result, EvictedPodFate evicted, int generation)
    {
        var byPod = new Dictionary<PodKey, (bool Evicted, string? BoundTo, string? PipelinedTo)>();
        foreach (var decision in result.Decisions)
        {
            var current = byPod.GetValueOrDefault(decision.Pod);
            byPod[decision.Pod] = decision.Kind switch
            {
                DecisionKind.Evict => current with { Evicted = true },
                DecisionKind.Bind => current with { BoundTo = decision.Node?.Value },
                DecisionKind.Pipeline => current with { PipelinedTo = decision.Node?.Value },
                _ => current,
            };
        }

        var pods = new List<Pod>(state.Pods.Count);
        foreach (var pod in state.Pods)
        {
            if (pod.Status == PodStatus.Releasing)
            {
                // Terminated: gone, or recreated by its controller as a new pending pod.
                if (evicted == EvictedPodFate.Recreated && pod.IsScheduledByUs && pod.GroupName is not null)
                {
                    pods.Add(pod.With(PodStatus.Pending, null, uid: $"{BaseUid(pod.Uid)}~{generation}") with { NominatedNodeName = pod.NominatedNodeName });
                }

                continue;
            }

            if (!byPod.TryGetValue(pod.Key, out var decided))
            {
                pods.Add(pod);
            }
            else if (decided.Evicted)
            {
                // A moved pod (evicted and pipelined elsewhere) comes back nominated to its new node, as its
                // controller's copy would carry status.nominatedNodeName.
                pods.Add(pod.With(PodStatus.Releasing, pod.NodeName) with { NominatedNodeName = decided.PipelinedTo });
            }
            else if (decided.BoundTo is { } node)
            {
                pods.Add(pod.With(PodStatus.Running, node));
            }
            else
            {
                pods.Add(pod);
            }
        }

        var started = result.StartedGroups.ToHashSet();
        var groups = state.PodGroups.Select(g =>
        {
            var lastStart = started.Contains(g.Key) ? state.Now : g.LastStartTimestamp;
            var staleSince = result.StaleSince.TryGetValue(g.Key, out var since) ? since : g.StaleSince;
            return lastStart == g.LastStartTimestamp && staleSince == g.StaleSince ? g : g.WithStamps(lastStart, staleSince);
        }).ToList();

        return state with { Pods = pods, PodGroups = groups, Now = state.Now + Period };
    }

    private static string BaseUid(string uid) => uid.IndexOf('~', StringComparison.Ordinal) is var at and >= 0 ? uid[..at] : uid;
}
