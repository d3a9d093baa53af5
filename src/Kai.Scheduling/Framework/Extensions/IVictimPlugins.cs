using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Decides whether a running pod group may be a victim for a preemptor. All filters must pass.</summary>
public interface IVictimFilterPlugin : ISchedulerPlugin
{
    /// <returns>Null when the group may be a victim, else why not (used in explanations).</returns>
    string? RejectVictim(Session session, ActionKind action, int preemptor, int victimGroup);
}

/// <summary>
/// Rules out a whole queue subtree as a source of victims, before its pod groups are looked at one by one (a
/// faster form of <see cref="IVictimFilterPlugin"/> for rules that depend on the queue, not the group).
/// </summary>
public interface IVictimQueueFilterPlugin : ISchedulerPlugin
{
    /// <returns>Null when the queue's subtree may give victims, else why not.</returns>
    string? RejectVictimQueue(Session session, ActionKind action, int preemptor, int queue);
}

/// <summary>Checks a whole eviction scenario once it is simulated. All validators must pass.</summary>
public interface IScenarioValidatorPlugin : ISchedulerPlugin
{
    /// <param name="session">The session, with the scenario's evictions and placements applied.</param>
    /// <param name="action">The action searching.</param>
    /// <param name="scenario">The preemptor and the pods that stay evicted.</param>
    /// <returns>Null when the scenario is acceptable, else why not.</returns>
    string? Validate(Session session, ActionKind action, EvictionScenario scenario);
}

/// <summary>Whether a pending pod group may reclaim from other queues at all (first registered plugin wins).</summary>
public interface IReclaimGatePlugin : ISchedulerPlugin
{
    /// <returns>Null when it may, else why not.</returns>
    string? RejectReclaimer(Session session, int group);

    /// <summary>
    /// Called before victims are searched for a preemptor (by any disruptive action), so a validator can keep
    /// the state to compare with.
    /// </summary>
    void OnSolutionStart(Session session, ActionKind action, int preemptor);
}

/// <summary>A simulated eviction scenario: the preemptor, and the pods that stay evicted after re-placing the others.</summary>
/// <param name="Preemptor">The pod group being placed.</param>
/// <param name="EvictedPods">Victim pods still evicted at the end of the simulation.</param>
/// <param name="MovedPods">Victim pods placed again on another node (they are evicted and recreated there).</param>
public sealed record EvictionScenario(int Preemptor, IReadOnlyList<int> EvictedPods, IReadOnlyList<int> MovedPods);
