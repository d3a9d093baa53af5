using System.Diagnostics;
using Kai.Scheduling.Actions;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling;

/// <summary>
/// One scheduling cycle in progress. The caller runs it step by step: each plugin's session-open step
/// (<see cref="OpenNextPlugin"/>; <see cref="Run"/> runs any left), then the actions one at a time, then takes
/// the result. The engine has no clock: the caller times the steps. Each cycle and each action is also an
/// <see cref="Activity"/> of <see cref="SchedulerActivities.Source"/> (free when nobody listens), so tracing
/// tools see the cycle without the engine knowing them.
/// </summary>
public sealed class SchedulingCycle : IDisposable
{
    private readonly SessionOpening _opening;
    private readonly CycleState _state;
    private readonly Activity? _activity;
    private bool _finished;

    internal SchedulingCycle(SchedulingEngine engine, ClusterSnapshot snapshot, long cycleNumber)
    {
        _activity = SchedulerActivities.Source.StartActivity(SchedulerActivities.Cycle);
        try
        {
            _opening = engine.BeginSession(snapshot);
        }
        catch
        {
            _activity?.Dispose();
            throw;
        }

        Session = _opening.Session;
        _state = new CycleState(Session);
        if (_activity is not null)
        {
            TagStart(_activity, snapshot, cycleNumber);
        }
    }

    /// <summary>The cycle's working state (its plugins' session-open steps may still be due).</summary>
    public Session Session { get; }

    /// <summary>The name of the plugin whose session-open step runs next, or null when all have run.</summary>
    public string? NextPluginToOpen => _opening.NextPlugin?.Name;

    /// <summary>Runs the next plugin's session-open step; false when every step has run.</summary>
    public bool OpenNextPlugin()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return _opening.OpenNextPlugin();
    }

    /// <summary>Runs one action (a fresh instance: actions keep per-run state, and engines run cycles on many threads).</summary>
    public void Run(ActionKind kind, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (_opening.OpenNextPlugin())
        {
        }

        using var activity = SchedulerActivities.Source.StartActivity(SchedulerActivities.Action);
        activity?.SetTag(SchedulerActivities.ActionTag, ActionNames.Of(kind));
        var decisionsBefore = Session.Decisions.Count;
        var context = new ActionContext(Session, kind, _state, cancellationToken);
        CreateAction(kind).Execute(context);
        var statistics = context.Tally.ToStatistics(kind);
        _state.Statistics.Add(statistics);
        if (activity is not null)
        {
            activity.SetTag(SchedulerActivities.DecisionsTag, Session.Decisions.Count - decisionsBefore);
            activity.SetTag(SchedulerActivities.PodGroupsConsideredTag, statistics.PodGroupsConsidered);
            activity.SetTag(SchedulerActivities.PodGroupsScheduledTag, statistics.PodGroupsScheduled);
            activity.SetTag(SchedulerActivities.ScenariosSimulatedTag, statistics.ScenariosSimulated);
        }
    }

    /// <summary>Ends the cycle: its decisions, explanations, queue figures, journal and per-action counters, as data.</summary>
    public CycleResult Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (_opening.OpenNextPlugin())
        {
        }

        var result = CycleResult.From(Session, _state.Journal) with { ActionStatistics = [.. _state.Statistics] };
        _activity?.SetTag(SchedulerActivities.DecisionsTag, result.Decisions.Count);
        _activity?.SetTag(SchedulerActivities.UnschedulablePodGroupsTag, result.Explanations.Count);
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

    /// <summary>Tags the cycle's activity with what it starts from (only when someone listens: counting pending groups reads every group).</summary>
    private void TagStart(Activity activity, ClusterSnapshot snapshot, long cycleNumber)
    {
        if (cycleNumber > 0)
        {
            activity.SetTag(SchedulerActivities.CycleTag, cycleNumber);
        }

        activity.SetTag(SchedulerActivities.NodesTag, snapshot.Nodes.Count);
        activity.SetTag(SchedulerActivities.PodsTag, snapshot.Pods.Count);
        activity.SetTag(SchedulerActivities.PodGroupsTag, snapshot.Groups.Count);
        activity.SetTag(SchedulerActivities.PendingPodGroupsTag, PendingGroups.Candidates(Session).Count());
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
