using Kai.Scheduling.Configuration;

namespace Kai.Scheduling;

/// <summary>
/// What one action did in a cycle besides its decisions, for metrics and logs at the edge (KAI's per-action
/// counters): how many pod groups it tried, how many it placed or made room for, and how many eviction
/// scenarios it simulated.
/// </summary>
/// <param name="Action">The action.</param>
/// <param name="PodGroupsConsidered">Pod groups the action tried to place or make room for.</param>
/// <param name="PodGroupsScheduled">Pod groups it placed (allocate) or made room for (the disruptive actions), one per committed statement.</param>
/// <param name="ScenariosSimulated">Eviction scenarios simulated by the victim search.</param>
public sealed record ActionStatistics(ActionKind Action, int PodGroupsConsidered, int PodGroupsScheduled, int ScenariosSimulated);
