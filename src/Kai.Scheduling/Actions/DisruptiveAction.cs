using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Actions;

/// <summary>
/// What reclaim, preempt and consolidation share: pending pod groups in queue and job order, a gate per
/// group, eligible victims, the <see cref="EvictionSolver"/>, and commit of the winning scenario — evictions
/// and the preemptor's pipelined placement in one statement. The preemptor binds in a later cycle, once its
/// victims are gone.
/// </summary>
internal abstract class DisruptiveAction : ISchedulingAction
{
    public abstract ActionKind Kind { get; }

    /// <summary>Most victim groups one scenario may touch.</summary>
    protected virtual int MaxVictimJobs(Session session) => int.MaxValue;

    /// <summary>Every victim must be placed again (consolidation moves pods, it never removes them).</summary>
    protected virtual bool RequireAllReplaced => false;

    public void Execute(ActionContext context)
    {
        var session = context.Session;
        if (!IsEnabled(session))
        {
            return;
        }

        var candidates = PendingGroups.Candidates(session).Where(g => IsCandidate(session, g) && PreemptionDelayGate.Allows(session, g, Kind)).ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var jobs = new JobQueue(session, candidates, session.Configuration.QueueDepthPerAction.GetValueOrDefault(Kind, int.MaxValue));
        var skipper = new SignatureSkipper(session);
        var walks = new SharedVictimWalk(session, context.Victims, sessionUnchangedBetweenUnits: true);
        while (jobs.TryPop(out var group))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var gate = CheckPreemptor(session, group);
            if (!gate.IsSuccess)
            {
                session.Explanations.AddNote(group, Kind, TextOf(gate));
                continue;
            }

            if (!skipper.ShouldSkip(SkipScope(session, group), group, out var seen))
            {
                TryMakeRoom(context, group, skipper, seen, walks);
            }
        }
    }

    /// <summary>Searches victims for one preemptor; commits the solution, or explains why there is none.</summary>
    private void TryMakeRoom(ActionContext context, int preemptor, SignatureSkipper skipper, in SignatureSkipper.Seen seen, SharedVictimWalk walks)
    {
        var session = context.Session;
        var eligibility = new VictimEligibility(
            preemptor,
            victim => FilterVictim(session, preemptor, victim),
            session.Plugins.VictimQueueFilters.Length == 0 ? null : queue => FilterVictimQueue(session, preemptor, queue))
        {
            OnlyLeaf = VictimsOnlyInOwnQueue ? session.Snapshot.QueueOf(preemptor) : null,
        };
        context.Tally.PodGroupsConsidered++;
        var solution = FailureKnownBeforeSearch(context, preemptor, eligibility) is { } known
            ? new EvictionSolver.Solution(null, known, 0)
            : new EvictionSolver(session, Kind, context.Victims, context.PendingOrder, walks).Solve(preemptor, eligibility, MaxVictimJobs(session), RequireAllReplaced);
        context.Tally.ScenariosSimulated += solution.Tries;
        if (solution.Statement is not { } statement)
        {
            // A failed search leaves the session as it was, so what the skipper saw still holds.
            skipper.RecordFailure(seen);
            ExplainFailure(session, preemptor, eligibility, solution.Failure!);
            return;
        }

        // One quantum per pod group and cycle, as KAI: an elastic group grows further in later cycles.
        using (statement)
        {
            statement.Commit(preemptor: session.Snapshot.Groups[preemptor].Key);
        }

        context.Tally.PodGroupsScheduled++;
    }

    private void ExplainFailure(Session session, int preemptor, VictimEligibility eligibility, string failure)
    {
        if (eligibility.EligibleSeen > 0)
        {
            session.Explanations.AddNote(preemptor, Kind, failure);
            return;
        }

        // The walk looked at every running group and none may be a victim: say why, unless none runs.
        var rejections = eligibility.Rejections;
        if (OutOfScope(session, preemptor) is { Count: > 0 } outOfScope)
        {
            rejections[outOfScope.Reason] = outOfScope.Count;
        }

        if (rejections.Count > 0)
        {
            session.Explanations.AddNote(preemptor, Kind, "no running pod group may be evicted: "
                + string.Join(", ", rejections.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}")));
        }
    }

    protected virtual bool IsEnabled(Session session) => true;

    /// <summary>
    /// The failure the search for <paramref name="preemptor"/> is known to end with before it starts (it would take no try),
    /// with the rejections its walk would have counted written into <paramref name="eligibility"/>; null: search.
    /// </summary>
    protected virtual string? FailureKnownBeforeSearch(ActionContext context, int preemptor, VictimEligibility eligibility) => null;

    /// <summary>Whether a pending group is a candidate of this action at all.</summary>
    protected virtual bool IsCandidate(Session session, int group) => true;

    /// <summary>A per-group gate; success lets the search run.</summary>
    protected virtual PluginStatus CheckPreemptor(Session session, int group) => PluginStatus.Success;

    /// <summary>The scope in which failed jobs' signatures are remembered.</summary>
    protected abstract int SkipScope(Session session, int group);

    /// <summary>Whether a running group may be a victim of this action for this preemptor (the action's own rule, before the plugins').</summary>
    protected abstract PluginStatus CheckVictim(Session session, int preemptor, int victim);

    /// <summary>Only the preemptor's own leaf queue can hold victims (preempt); the walk then looks nowhere else.</summary>
    protected virtual bool VictimsOnlyInOwnQueue => false;

    /// <summary>Running pod groups the walk does not look at (other queues, for preempt), for the explanation, with why.</summary>
    protected virtual (string Reason, int Count) OutOfScope(Session session, int preemptor) => (string.Empty, 0);

    /// <summary>A rejection of the action's own: no plugin gave it, and evicting cannot change it.</summary>
    protected static PluginStatus Rejected(string reason) => PluginStatus.Unresolvable(reason);

    private static string TextOf(in PluginStatus status) => status.Reason ?? status.Code.ToString();

    /// <summary>The plugins' verdict on a whole queue subtree giving victims to <paramref name="preemptor"/>: the first refusal, else success.</summary>
    protected PluginStatus FilterVictimQueue(Session session, int preemptor, int queue)
    {
        foreach (var filter in session.Plugins.VictimQueueFilters)
        {
            var status = filter.FilterVictimQueue(session, Kind, preemptor, queue);
            if (!status.IsSuccess)
            {
                return status;
            }
        }

        return PluginStatus.Success;
    }

    private PluginStatus FilterVictim(Session session, int preemptor, int victim)
    {
        var own = CheckVictim(session, preemptor, victim);
        if (!own.IsSuccess)
        {
            return own;
        }

        foreach (var filter in session.Plugins.VictimFilters)
        {
            var status = filter.FilterVictim(session, Kind, preemptor, victim);
            if (!status.IsSuccess)
            {
                return status;
            }
        }

        return PluginStatus.Success;
    }
}
