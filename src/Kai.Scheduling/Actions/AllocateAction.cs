using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's allocate action: pending pod groups in queue and job order, one statement each; a gang that cannot
/// fully bind now is pipelined whole; an elastic group that still has pending pods goes back in line for one
/// more pod. Fair share does not stop allocation (reclaim restores fairness); limits and quota do.
/// </summary>
internal sealed class AllocateAction : ISchedulingAction
{
    public ActionKind Kind => ActionKind.Allocate;

    public void Execute(Session session, CancellationToken cancellationToken)
    {
        var jobs = new JobQueue(session, CandidateGroups(session), session.Configuration.QueueDepthPerAction.GetValueOrDefault(Kind, int.MaxValue));
        while (jobs.TryPop(out var group))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var hadAllocatedPods = session.Gangs.ActiveAllocated(group) > 0;
            using var statement = session.Begin();
            if (!JobAllocator.TryAllocate(session, statement, group, pipelineOnly: false))
            {
                continue;
            }

            var pipelined = WaitsForReleasingCapacity(session, group);
            if (pipelined)
            {
                statement.ConvertAllocationsToPipelines();
            }

            statement.Commit();
            if (!pipelined && !hadAllocatedPods)
            {
                session.MarkStarted(group);
            }

            if (HasCandidatePods(session, group))
            {
                jobs.Push(group);
            }
        }
    }

    /// <summary>Ready groups in a leaf queue with at least one pending pod.</summary>
    internal static IEnumerable<int> CandidateGroups(Session session)
    {
        var snapshot = session.Snapshot;
        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            if (snapshot.QueueOf(g) >= 0 && HasCandidatePods(session, g) && session.Explanations.NotReadyMessage(g) is null)
            {
                yield return g;
            }
        }
    }

    internal static bool HasCandidatePods(Session session, int group)
    {
        foreach (var pod in session.Snapshot.MembersOf(group))
        {
            if (session.StatusOf(pod) == PodStatus.Pending && session.Snapshot.Pods[pod] is { IsScheduledByUs: true, Unsupported: null })
            {
                return true;
            }
        }

        return false;
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
