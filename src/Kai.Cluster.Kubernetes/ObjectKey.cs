namespace Kai.Cluster.Kubernetes;

/// <summary>Where an object lives within its kind: namespace ("" for cluster-scoped kinds) and name.</summary>
internal readonly record struct ObjectKey(string Namespace, string Name);
