namespace Kai.Cluster.Port;

/// <summary>
/// Outcome of a delete: <see cref="Removed"/> is true when the object is gone (and <see cref="Object"/> is its
/// final state), false when it is terminating (a graceful pod delete or pending finalizers) and
/// <see cref="Object"/> carries <c>metadata.deletionTimestamp</c>.
/// </summary>
public readonly record struct DeleteResult<T>(T Object, bool Removed);
