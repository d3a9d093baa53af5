using Kai.Scheduling.Actions;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The victim search shared by reclaim, preempt and consolidation: takes victim units in victim order, one
/// more per scenario, and for each scenario that could make room, evicts them in a statement and simulates —
/// every victim group and the preemptor in normal scheduling order, victims placed back where they fit (back on
/// their own node is an un-eviction), the preemptor pipelined whole. The first scenario that places the
/// preemptor and passes every validator wins; its statement is returned open for the action to commit.
/// </summary>
/// <remarks>
/// No eviction survives unless the preemptor's whole quantum is placed in the same statement. Deliberate
/// differences from KAI, documented in docs/disruption.md: the whole quantum is solved at once (KAI grows it
/// pod by pod), and a scenario that fails validation ends the search, because adding victims only makes the
/// queue checks stricter.
/// </remarks>
internal sealed class EvictionSolver(Session session, ActionKind action)
{
    /// <summary>Outcome of a search: an open statement holding the solution, or why there is none.</summary>
    public readonly record struct Solution(Statement? Statement, string? Failure, int VictimJobs);

    /// <param name="preemptor">The pending pod group to place.</param>
    /// <param name="victimGroups">Running groups that may give up pods, already filtered by the action's rules.</param>
    /// <param name="maxVictimJobs">Most victim groups a scenario may touch.</param>
    /// <param name="requireAllReplaced">Every victim must be placed again (consolidation).</param>
    public Solution Solve(int preemptor, IReadOnlyCollection<int> victimGroups, int maxVictimJobs, bool requireAllReplaced)
    {
        var pods = session.Quantum.PodsToAllocate(preemptor);
        if (pods.Length == 0)
        {
            return new Solution(null, "no pending pods to place", 0);
        }

        if (victimGroups.Count == 0)
        {
            return new Solution(null, "no running pod group may be evicted for it", 0);
        }

        foreach (var gate in session.Plugins.ReclaimGates)
        {
            gate.OnSolutionStart(session, preemptor);
        }

        var demand = ResourceVector.Zero;
        foreach (var pod in pods)
        {
            demand += session.RequestOf(pod);
        }

        var victims = new VictimQueue(session, victimGroups);
        var room = new RoomEstimate(session, pods, demand);
        var scenarioGroups = new List<int>();
        string? validationFailure = null;
        var simulated = false;
        while (victims.TryNext(out var group, out var unit))
        {
            room.Free(unit);
            if (!scenarioGroups.Contains(group))
            {
                if (scenarioGroups.Count == maxVictimJobs)
                {
                    break;
                }

                scenarioGroups.Add(group);
            }

            if (!room.CouldFit())
            {
                continue;
            }

            simulated = true;
            var statement = session.Begin();
            foreach (var victim in victims.Taken)
            {
                statement.Evict(victim);
            }

            if (!Simulate(statement, preemptor, scenarioGroups))
            {
                statement.Discard();
                continue;
            }

            var scenario = Describe(statement, preemptor, victims.Taken);
            var failure = requireAllReplaced && scenario.EvictedPods.Count > 0
                ? "moving the running pods would not place all of them again"
                : Validate(scenario);
            if (failure is null)
            {
                return new Solution(statement, null, scenarioGroups.Count);
            }

            statement.Discard();
            validationFailure = failure;
            break;
        }

        var reason = validationFailure
            ?? (simulated
                ? "no set of eligible victims makes room for the whole pod group"
                : "evicting every eligible victim would still not free enough resources");
        return new Solution(null, reason, scenarioGroups.Count);
    }

    /// <summary>Places victims back and the preemptor, in normal scheduling order; true when the preemptor is placed whole.</summary>
    private bool Simulate(Statement statement, int preemptor, List<int> victimGroups)
    {
        var order = new JobQueue(session, [.. victimGroups, preemptor]);
        while (order.TryPop(out var group))
        {
            if (group == preemptor)
            {
                if (!JobAllocator.TryAllocate(session, statement, preemptor, pipelineOnly: true, explain: false))
                {
                    return false;
                }

                continue;
            }

            var evicted = session.Quantum.EvictedPodsToReplace(group);
            if (evicted.Length > 0)
            {
                JobAllocator.TryPlace(session, statement, group, evicted, pipelineOnly: true, explain: false);
            }
        }

        return session.Gangs.IsSatisfied(preemptor);
    }

    private EvictionScenario Describe(Statement statement, int preemptor, List<int> victimPods)
    {
        var before = statement.TouchedPods().ToDictionary(t => t.Pod, t => t.BeforeNode);
        var evicted = new List<int>();
        var moved = new List<int>();
        foreach (var pod in victimPods)
        {
            var status = session.StatusOf(pod);
            if (status == PodStatus.Releasing)
            {
                evicted.Add(pod);
            }
            else if (status == PodStatus.Pipelined && before.TryGetValue(pod, out var node) && node != session.NodeOf(pod))
            {
                moved.Add(pod);
            }
        }

        return new EvictionScenario(preemptor, evicted, moved);
    }

    private string? Validate(EvictionScenario scenario)
    {
        foreach (var validator in session.Plugins.ScenarioValidators)
        {
            if (validator.Validate(session, action, scenario) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }
}
