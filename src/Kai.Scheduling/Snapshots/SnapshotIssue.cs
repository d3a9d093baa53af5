using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// A problem found while linking the cluster's objects (a queue whose parent is missing, a parent cycle, a
/// pod naming a pod group that does not exist). The object is left out or degraded; the rest schedules.
/// </summary>
/// <param name="Kind">Object kind, e.g. <c>Queue</c>.</param>
/// <param name="Namespace">Namespace, or null for cluster-scoped objects.</param>
/// <param name="Name">Object name.</param>
/// <param name="Message">What is wrong and what would be right.</param>
public sealed record SnapshotIssue(string Kind, string? Namespace, string Name, string Message)
{
    public string ObjectRef => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {NamespacedName.Format(Namespace, Name)}";

    public override string ToString() => $"{ObjectRef}: {Message}";
}
