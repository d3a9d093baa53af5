namespace Kai.Cluster.Manifests;

/// <summary>"Did you mean" suggestions: the candidate that differs only in case, else the closest within a few edits.</summary>
public static class NameSuggestions
{
    /// <summary>The best match for <paramref name="name"/> among <paramref name="candidates"/>, or null when none is close.</summary>
    /// <param name="name">What was written.</param>
    /// <param name="candidates">What would be valid.</param>
    /// <param name="maxDistance">Most edits (insertions, deletions, substitutions) allowed, ignoring case.</param>
    public static string? Closest(string name, IEnumerable<string> candidates, int maxDistance = 2)
    {
        var list = candidates.Where(c => !string.Equals(c, name, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var caseOnly = list.Find(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        if (caseOnly is not null)
        {
            return caseOnly;
        }

        // Short names are close to everything; demand that at most a third of the name changes.
        var allowed = Math.Min(maxDistance, Math.Max(1, name.Length / 3));
        return list
            .Select(c => (Name: c, Distance: Distance(c.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>Levenshtein distance; names are short.</summary>
    internal static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
