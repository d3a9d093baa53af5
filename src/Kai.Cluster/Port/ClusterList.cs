namespace Kai.Cluster.Port;

/// <summary>
/// The objects of one kind across all namespaces, and the resource version the list is consistent with
/// (start a change feed from it to continue without gaps). Items are shared: do not mutate them.
/// </summary>
public sealed record ClusterList<T>(IReadOnlyList<T> Items, string ResourceVersion);
