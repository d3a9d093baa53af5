using k8s.Models;
using EnginePod = Kai.Scheduling.Model.Pod;

namespace Kai.Controllers.Cache;

/// <summary>
/// A pod as the cache holds it: the object last seen, its mapping, and where the mapping stood in the last state
/// built (so the next snapshot can carry its links over). A change the engine reads makes a new entry, which no state
/// held yet; a write that changes nothing it reads only replaces <see cref="Raw"/>.
/// </summary>
internal sealed class CachedPod(V1Pod raw, EnginePod mapped)
{
    public V1Pod Raw { get; set; } = raw;

    public EnginePod Mapped { get; } = mapped;

    /// <summary>The pod's index in the last state built while this entry was current, or -1.</summary>
    public int BuiltAt { get; set; } = -1;
}
