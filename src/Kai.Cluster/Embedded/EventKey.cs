namespace Kai.Cluster.Embedded;

/// <summary>What makes two recorded events "the same" for count aggregation (client-go's correlator key).</summary>
internal readonly record struct EventKey(
    string Namespace,
    string? Kind,
    string? Name,
    string? Uid,
    string Type,
    string Reason,
    string Message,
    string Component);
