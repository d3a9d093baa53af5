using System.Diagnostics;
using Kai.Scheduling.Actions;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling;

/// <summary>
/// One scheduling cycle in progress: the session is open, the caller runs the actions one at a time and then
/// takes the result. Each cycle and each action is an <see cref="Activity"/> of <see cref="SchedulerActivities.Source"/>
/// (free when nobody listens), so tracing and timing tools see the cycle without the engine knowing them.
/// </summary>
public sealed class SchedulingCycle : IDisposable
{
    private readonly CycleState _state;
    private readonly Activity? _activity;
    private bool _finished;

    internal SchedulingCycle(SchedulingEngine engine, ClusterSnapshot snapshot)
    {
        _activity = SchedulerActivities.Source.StartActivity(SchedulerActivities.Cycle);
        _activity?.SetTag(SchedulerActivities.NodesTag, snapshot.Nodes.Count);
        _activity?.SetTag(SchedulerActivities.PodsTag, snapshot.Pods.Count);
        _activity?.SetTag(SchedulerActivities.PodGroupsTag, snapshot.Groups.Count);
        try
        {
            Session = engine.OpenSession(snapshot);
        }
        catch
        {
            _activity?.Dispose();
            throw;
        }

        _state = new CycleState(Session);
    }

    /// <summary>The cycle's working state.</summary>
    public Session Session { get; }

    /// <summary>Runs one action (a fresh instance: actions keep per-run state, and engines run cycles on many threads).</summary>
    public void Run(ActionKind kind, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        using var activity = SchedulerActivities.Source.StartActivity(SchedulerActivities.Action);
        activity?.SetTag(SchedulerActivities.ActionTag, ActionNames.Of(kind));
        var decisionsBefore = Session.Decisions.Count;
        CreateAction(kind).Execute(new ActionContext(Session, kind, _state, cancellationToken));
        activity?.SetTag(SchedulerActivities.DecisionsTag, Session.Decisions.Count - decisionsBefore);
    }

    /// <summary>Ends the cycle: its decisions, explanations, queue figures and journal, as data.</summary>
    public CycleResult Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var result = CycleResult.From(Session, _state.Journal);
        _activity?.SetTag(SchedulerActivities.DecisionsTag, result.Decisions.Count);
        Dispose();
        return result;
    }

    public void Dispose()
    {
        if (!_finished)
        {
            _finished = true;
            _activity?.Dispose();
        }
    }

    private static ISchedulingAction CreateAction(ActionKind kind) => kind switch
    {
        ActionKind.Allocate => new AllocateAction(),
        ActionKind.Consolidation => new ConsolidationAction(),
        ActionKind.Reclaim => new ReclaimAction(),
        ActionKind.Preempt => new PreemptAction(),
        _ => new StaleGangEvictionAction(),
    };
}
