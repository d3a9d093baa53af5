namespace Kai.Cluster.Manifests;

/// <summary>A loaded pod's <c>spec.priorityClassName</c> and where it was written.</summary>
internal sealed record PriorityClassReference(LoadedObject Pod, string ObjectRef, string ClassName, SourceLocation Location);
