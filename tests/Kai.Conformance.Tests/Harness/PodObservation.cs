namespace Kai.Conformance.Tests.Harness;

/// <summary>A pod as the runner sees it: KAI status, node (null when none) and GPU groups.</summary>
internal sealed record PodObservation(string? Status, string? Node, IReadOnlyList<string> GpuGroups);
