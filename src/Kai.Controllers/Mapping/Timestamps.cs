using k8s.Models;

namespace Kai.Controllers.Mapping;

/// <summary>Object timestamps as the engine reads them.</summary>
internal static class Timestamps
{
    /// <summary><c>metadata.creationTimestamp</c> as UTC (how the API server writes it); the zero time when unset.</summary>
    public static DateTimeOffset CreationOf(V1ObjectMeta metadata) =>
        metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : default;
}
