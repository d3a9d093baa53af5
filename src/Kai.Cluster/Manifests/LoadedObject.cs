using k8s;
using k8s.Models;

namespace Kai.Cluster.Manifests;

/// <summary>A Kubernetes object read from a manifest, with where it was found.</summary>
public sealed record LoadedObject(IKubernetesObject<V1ObjectMeta> Object, SourceLocation Location);
