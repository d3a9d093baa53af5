using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
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
    private List<int>?[]? _groupsByQueue;
    private int[]? _activeByQueue;
    private int _activeTotal;

    public abstract ActionKind Kind { get; }

    /// <summary>Most victim groups one scenario may touch.</summary>
    protected virtual int MaxVictimJobs(Session session) => int.MaxValue;

    /// <summary>Every victim must be placed again (consolidation moves pods, it never removes them).</summary>
    protected virtual bool RequireAllReplaced => false;

    public void Execute(Session session, CancellationToken cancellationToken)
    {
        if (!IsEnabled(session))
        {
            return;
        }

        var candidates = AllocateAction.CandidateGroups(session).Where(g => IsCandidate(session, g)).ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        _groupsByQueue = null;
        _activeByQueue = null;
        _activeTotal = 0;
        var jobs = new JobQueue(session, candidates, session.Configuration.QueueDepthPerAction.GetValueOrDefault(Kind, int.MaxValue));
        var skipper = new SignatureSkipper(session);
        while (jobs.TryPop(out var group))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (RejectPreemptor(session, group) is { } gate)
            {
                session.Explanations.AddNote(group, Kind, gate);
                continue;
            }

            var scope = SkipScope(session, group);
            if (skipper.ShouldSkip(scope, group))
            {
                continue;
            }

            var victims = EligibleVictims(session, group, out var rejections);
            if (OutOfScope(session, group) is { Count: > 0 } outOfScope)
            {
                rejections[outOfScope.Reason] = outOfScope.Count;
            }

            var solution = new EvictionSolver(session, Kind).Solve(group, victims, MaxVictimJobs(session), RequireAllReplaced);
            if (solution.Statement is not { } statement)
            {
                skipper.RecordFailure(scope, group);
                if (victims.Count == 0 && rejections.Count == 0)
                {
                    // Nothing runs that this action could move: no note, it would only be noise.
                    continue;
                }

                var why = victims.Count == 0 && rejections.Count > 0
                    ? "no running pod group may be evicted: " + string.Join(", ", rejections.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"))
                    : solution.Failure!;
                session.Explanations.AddNote(group, Kind, why);
                continue;
            }

            // One quantum per pod group and cycle, as KAI: an elastic group grows further in later cycles.
            using (statement)
            {
                statement.Commit(cause: session.Snapshot.Groups[group].Key);
            }
        }
    }

    protected virtual bool IsEnabled(Session session) => true;

    /// <summary>Whether a pending group is a candidate of this action at all.</summary>
    protected virtual bool IsCandidate(Session session, int group) => true;

    /// <summary>A per-group gate; null lets the search run.</summary>
    protected virtual string? RejectPreemptor(Session session, int group) => null;

    /// <summary>The scope in which failed jobs' signatures are remembered.</summary>
    protected abstract int SkipScope(Session session, int group);

    /// <summary>Why a running group may not be a victim of this action for this preemptor; null when it may.</summary>
    protected abstract string? RejectVictim(Session session, int preemptor, int victim);

    /// <summary>Pod groups that might be victims of this preemptor, before the rules; by default all of them.</summary>
    protected virtual IEnumerable<int> VictimCandidates(Session session, int preemptor) => Enumerable.Range(0, session.Snapshot.Groups.Count);

    /// <summary>Running pod groups that <see cref="VictimCandidates"/> leaves out, for the explanation, with why.</summary>
    protected virtual (string Reason, int Count) OutOfScope(Session session, int preemptor) => (string.Empty, 0);

    /// <summary>How many pod groups of each leaf queue have active pods (counted once per action run).</summary>
    protected int ActiveGroupsIn(Session session, int queue)
    {
        if (_activeByQueue is null)
        {
            _activeByQueue = new int[session.Snapshot.Queues.Count];
            for (var g = 0; g < session.Snapshot.Groups.Count; g++)
            {
                var leaf = session.Snapshot.QueueOf(g);
                if (leaf >= 0 && HasActivePods(session, g))
                {
                    _activeByQueue[leaf]++;
                    _activeTotal++;
                }
            }
        }

        return queue < 0 ? _activeTotal : _activeByQueue[queue];
    }

    /// <summary>Pod groups by leaf queue (built once per action run), for actions whose victims share the preemptor's queue.</summary>
    protected IReadOnlyList<int> GroupsInQueue(Session session, int queue)
    {
        if (_groupsByQueue is null)
        {
            _groupsByQueue = new List<int>[session.Snapshot.Queues.Count];
            for (var g = 0; g < session.Snapshot.Groups.Count; g++)
            {
                var leaf = session.Snapshot.QueueOf(g);
                if (leaf >= 0)
                {
                    (_groupsByQueue[leaf] ??= []).Add(g);
                }
            }
        }

        return (IReadOnlyList<int>?)_groupsByQueue[queue] ?? [];
    }

    private List<int> EligibleVictims(Session session, int preemptor, out Dictionary<string, int> rejections)
    {
        rejections = new Dictionary<string, int>(StringComparer.Ordinal);
        var victims = new List<int>();
        var snapshot = session.Snapshot;
        foreach (var g in VictimCandidates(session, preemptor))
        {
            if (g == preemptor || snapshot.QueueOf(g) < 0 || !HasActivePods(session, g))
            {
                continue;
            }

            var reason = RejectVictim(session, preemptor, g);
            if (reason is null)
            {
                foreach (var filter in session.Plugins.VictimFilters)
                {
                    if (filter.RejectVictim(session, Kind, preemptor, g) is { } filtered)
                    {
                        reason = filtered.StartsWith("within its min-runtime", StringComparison.Ordinal) ? "within their min-runtime" : filtered;
                        rejections[reason] = rejections.GetValueOrDefault(reason) + 1;
                        reason = string.Empty;
                        break;
                    }
                }
            }

            if (reason is null)
            {
                victims.Add(g);
            }
            else if (reason.Length > 0)
            {
                rejections[reason] = rejections.GetValueOrDefault(reason) + 1;
            }
        }

        return victims;
    }

    private static bool HasActivePods(Session session, int group)
    {
        foreach (var pod in session.Snapshot.MembersOf(group))
        {
            if (session.StatusOf(pod).IsActiveAllocated())
            {
                return true;
            }
        }

        return false;
    }
}
