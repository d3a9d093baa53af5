using Kai.Cluster.Crds;

namespace Kai.Controllers.Admission;

/// <summary>
/// The rules a Queue must keep with the queues already stored: its parent exists, and making it a child of that
/// parent closes no loop (the queue tree stays a tree).
/// </summary>
internal static class QueueTreeRules
{
    public static IEnumerable<string> Check(Queue queue, IReadOnlyList<Queue> stored)
    {
        var name = queue.Metadata.Name;
        var parent = queue.Spec.ParentQueue;
        if (string.IsNullOrEmpty(parent))
        {
            yield break;
        }

        if (string.Equals(parent, name, StringComparison.Ordinal))
        {
            yield return $"queue \"{name}\": spec.parentQueue names the queue itself; name another queue or leave it out for a top-level queue";
            yield break;
        }

        var parents = stored
            .Where(q => !string.Equals(q.Metadata.Name, name, StringComparison.Ordinal))
            .ToDictionary(q => q.Metadata.Name, q => q.Spec.ParentQueue, StringComparer.Ordinal);
        if (!parents.ContainsKey(parent))
        {
            yield return $"queue \"{name}\": spec.parentQueue \"{parent}\" does not exist; create that queue first, or name one of: {Names(parents.Keys)}";
            yield break;
        }

        parents[name] = parent;
        var path = new List<string> { name };
        for (var current = parent; !string.IsNullOrEmpty(current); current = parents.GetValueOrDefault(current))
        {
            path.Add(current);
            if (string.Equals(current, name, StringComparison.Ordinal))
            {
                yield return $"queue \"{name}\": spec.parentQueue \"{parent}\" makes a loop ({string.Join(" -> ", path)}); a queue cannot be its own ancestor";
                yield break;
            }

            if (path.Count > parents.Count + 1)
            {
                yield break;
            }
        }
    }

    private static string Names(IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).Take(10).ToList();
        return sorted.Count == 0 ? "(no queues exist)" : string.Join(", ", sorted);
    }
}
