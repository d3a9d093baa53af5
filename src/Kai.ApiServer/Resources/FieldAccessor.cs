using k8s;
using k8s.Models;

namespace Kai.ApiServer.Resources;

/// <summary>Reads one selectable field of a stored object as a string (null reads as empty).</summary>
internal delegate string? FieldAccessor(IKubernetesObject<V1ObjectMeta> obj);
