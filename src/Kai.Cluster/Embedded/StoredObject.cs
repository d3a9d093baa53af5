namespace Kai.Cluster.Embedded;

/// <summary>Locates a live object by uid (for owner references).</summary>
internal readonly record struct StoredObject(KindStore Store, ObjectKey Key);
