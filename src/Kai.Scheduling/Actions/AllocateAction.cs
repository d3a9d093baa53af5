using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Placement;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's allocate action: pending pod groups in queue and job order, one statement each; a gang that cannot
/// fully bind now is pipelined whole; an elastic group that still has pending pods goes back in line for one
/// more pod. Fair share does not stop allocation (reclaim restores fairness); limits and quota do.
/// </summary>
internal sealed class AllocateAction : ISchedulingAction
{
    public ActionKind Kind => ActionKind.Allocate;

    public void Execute(ActionContext context)
    {
        var session = context.Session;
        var jobs = new JobQueue(session, PendingGroups.Candidates(session), session.Configuration.QueueDepthPerAction.GetValueOrDefault(Kind, int.MaxValue));
        while (jobs.TryPop(out var group))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var hadAllocatedPods = session.Gangs.ActiveAllocated(group) > 0;
            context.Tally.PodGroupsConsidered++;
            using var statement = context.Begin();
            if (!GangPlacement.TryAllocate(session, statement, group, pipelineOnly: false))
            {
                continue;
            }

            var pipelined = WaitsForReleasingCapacity(session, group);
            if (pipelined)
            {
                statement.ConvertAllocationsToPipelines();
            }

            statement.Commit();
            context.Tally.PodGroupsScheduled++;
            if (!pipelined && !hadAllocatedPods)
            {
                context.Journal.MarkStarted(group);
            }

            if (PendingGroups.HasCandidatePods(session, group))
            {
                jobs.Push(group);
            }
        }
    }

    /// <summary>
    /// Whether some pod set has a pipelined pod and fewer than its minimum of active pods that are not
    /// pipelined: then the gang cannot start now and waits whole.
    /// </summary>
    private static bool WaitsForReleasingCapacity(Session session, int group)
    {
        var sets = session.Snapshot.PodSetsOf(group);
        foreach (var set in sets)
        {
            var pipelined = 0;
            var running = 0;
            foreach (var pod in set.Members)
            {
                var status = session.StatusOf(pod);
                if (status == PodStatus.Pipelined)
                {
                    pipelined++;
                }
                else if (status.IsActiveAllocated())
                {
                    running++;
                }
            }

            if (pipelined > 0 && running < set.MinAvailable)
            {
                return true;
            }
        }

        return false;
    }
}
