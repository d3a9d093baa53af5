using Kai.Scheduling.Framework.Devices;

namespace Kai.Scheduling.Placement;

/// <summary>
/// The GPUs a pod that shares GPUs takes on a node: open GPU groups it joins (<see cref="Existing"/>) and how many
/// whole free GPUs it opens as new groups (<see cref="NewGroups"/>, each needing a reservation pod);
/// <see cref="Releasing"/> when some of it waits for releasing capacity, so the pod must be pipelined.
/// </summary>
public readonly record struct SharedGpuChoice(GpuGroup[] Existing, int NewGroups, bool Releasing);
