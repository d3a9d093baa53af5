using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Actions;

/// <summary>
/// One step of a scheduling cycle. An action reads the session, changes it only through statements, and
/// leaves committed decisions and explanations in it; it never touches the cluster.
/// </summary>
public interface ISchedulingAction
{
    ActionKind Kind { get; }

    void Execute(Session session, CancellationToken cancellationToken);
}
