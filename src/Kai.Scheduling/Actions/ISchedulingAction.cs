using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Actions;

/// <summary>
/// One step of a scheduling cycle. An action reads the session, changes it only through statements opened for
/// it, and leaves committed decisions, explanations and journal entries; it never touches the cluster, and it
/// does not call other actions.
/// </summary>
internal interface ISchedulingAction
{
    ActionKind Kind { get; }

    void Execute(ActionContext context);
}
