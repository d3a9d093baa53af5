namespace Kai.Cluster.Port;

/// <summary>
/// Conditions a delete must meet (Kubernetes <c>DeleteOptions.preconditions</c>): the stored object's uid and
/// resource version must equal the given ones, else the delete fails with <see cref="ClusterErrorReason.Conflict"/>.
/// </summary>
public readonly record struct DeletePreconditions(string? Uid, string? ResourceVersion);
