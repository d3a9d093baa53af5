using System.Collections.Immutable;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework.Extensions;

/// <summary>Checks a whole eviction scenario once it is simulated. All validators must pass.</summary>
/// <remarks>
/// Contract: called from one thread with the scenario's evictions and placements applied to the session (inside
/// an open statement the solver discards or returns); it reads that state and <see cref="EvictionScenario.Start"/>,
/// changes nothing, and gives the same answer for the same scenario. Called for every simulated try, so keep it
/// cheap.
/// </remarks>
public interface IScenarioValidatorPlugin : ISchedulerPlugin
{
    PluginStatus Validate(ISessionView session, ActionKind action, EvictionScenario scenario);
}

/// <summary>A simulated eviction scenario: the preemptor, and the pods that stay evicted after re-placing the others.</summary>
/// <param name="Preemptor">The pod group being placed.</param>
/// <param name="EvictedPods">Victim pods still evicted at the end of the simulation.</param>
/// <param name="MovedPods">Victim pods placed again on another node (they are evicted and recreated there).</param>
/// <param name="Start">The session as it was when the search for this preemptor began.</param>
public sealed record EvictionScenario(int Preemptor, IReadOnlyList<int> EvictedPods, IReadOnlyList<int> MovedPods, VictimSearchStart Start);

/// <summary>What a validator may compare a scenario with: the state before the victim search began.</summary>
/// <param name="QueueAllocated">Every queue's allocation before the search (indexed like the snapshot's queues).</param>
/// <param name="QueueAllocatedNonPreemptible">Every queue's allocation to non-preemptible pod groups before the search.</param>
/// <param name="PreemptorRequest">The preemptor's allocation quantum request before the search (queue resources only).</param>
public sealed record VictimSearchStart(ImmutableArray<ResourceVector> QueueAllocated, ImmutableArray<ResourceVector> QueueAllocatedNonPreemptible, ResourceVector PreemptorRequest);
