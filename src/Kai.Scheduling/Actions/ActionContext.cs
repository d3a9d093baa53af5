using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Actions;

/// <summary>
/// What one action of a cycle works with, given explicitly: the session, the action's kind (statements are
/// opened for it, so decisions carry it), the cycle's journal, the services the cycle's actions share, and
/// cancellation.
/// </summary>
internal sealed class ActionContext(Session session, ActionKind kind, CycleState cycle, CancellationToken cancellationToken)
{
    public Session Session { get; } = session;

    public ActionKind Kind { get; } = kind;

    public CycleJournal Journal => cycle.Journal;

    /// <summary>This run's counters (pod groups considered and scheduled, scenarios simulated).</summary>
    public ActionTally Tally { get; } = new();

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The cycle's catalog of evictable pod groups, brought up to date with every commit so far.</summary>
    public VictimCatalog Victims => cycle.Victims;

    /// <summary>The cycle's pending pod groups in job order (what victim searches simulate in), brought up to date with every commit so far.</summary>
    public PendingOrder PendingOrder => cycle.PendingOrder;

    /// <summary>Opens a statement whose decisions are attributed to this action.</summary>
    public Statement Begin() => Session.Begin(Kind);
}

/// <summary>What the actions of one cycle share besides the session: the journal, the actions' counters, the victim catalog and the pending order (built on first use).</summary>
internal sealed class CycleState(Session session)
{
    private VictimCatalog? _victims;
    private PendingOrder? _pendingOrder;

    public CycleJournal Journal { get; } = new();

    /// <summary>Each action run's counters, in the order the actions ran.</summary>
    public List<ActionStatistics> Statistics { get; } = [];

    public VictimCatalog Victims
    {
        get
        {
            _victims ??= new VictimCatalog(session);
            _victims.Sync();
            return _victims;
        }
    }

    public PendingOrder PendingOrder
    {
        get
        {
            _pendingOrder ??= new PendingOrder(session);
            _pendingOrder.Sync();
            return _pendingOrder;
        }
    }
}

/// <summary>Counters of one action run; plain fields, bumped on the action's own thread.</summary>
internal sealed class ActionTally
{
    public int PodGroupsConsidered;
    public int PodGroupsScheduled;
    public int ScenariosSimulated;

    public ActionStatistics ToStatistics(ActionKind action) => new(action, PodGroupsConsidered, PodGroupsScheduled, ScenariosSimulated);
}
