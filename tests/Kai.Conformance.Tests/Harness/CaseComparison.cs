namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// Compares observed pods with a case's expectations exactly as run_kai_cases.py does and words the differences
/// as it does: status first, then node when the case names one, then GPU groups as a relation.
/// </summary>
internal static class CaseComparison
{
    /// <summary>Statuses in which a pod holds its GPU (group checks apply only then).</summary>
    private static readonly HashSet<string> ActiveUsed = new(StringComparer.Ordinal) { "Allocated", "Pipelined", "Binding", "Bound", "Running", "Releasing" };

    public static List<string> Compare(CaseExpectation expectation, IReadOnlyDictionary<string, PodObservation> view)
    {
        var differences = new List<string>();
        var classed = new List<(string Key, string Class, PodObservation Pod)>();
        foreach (var key in expectation.CheckedPods)
        {
            var check = expectation.Checks[key];
            if (!view.TryGetValue(key, out var observed))
            {
                differences.Add($"{Short(key)} missing from output");
                continue;
            }

            if (observed.Status != check.Status)
            {
                differences.Add($"{Short(key)} {observed.Status ?? "None"}{At(observed.Node)} (want {check.Status}{At(check.Node)})");
                continue;
            }

            if (check.Node is not null && observed.Node != check.Node)
            {
                differences.Add($"{Short(key)} on {observed.Node ?? "None"} (want {check.Node})");
                continue;
            }

            if (check.GpuGroupClass is not null && ActiveUsed.Contains(observed.Status!))
            {
                classed.Add((key, check.GpuGroupClass, observed));
            }
        }

        differences.AddRange(CompareGpuGroups(classed));
        return differences;
    }

    /// <summary>
    /// Pods expected on one GPU must report the same groups; pods of different expected GPUs on one node must not
    /// share a group. A class is <c>&lt;node&gt;/&lt;label&gt;</c>; <c>*</c> scopes the label to the pod's own node.
    /// </summary>
    public static List<string> CompareGpuGroups(IReadOnlyList<(string Key, string Class, PodObservation Pod)> classed)
    {
        var differences = new List<string>();
        var entries = new List<(string Key, (string? Scope, string Label) Class, string? Node, SortedSet<string> Groups)>();
        foreach (var (key, cls, pod) in classed)
        {
            var slash = cls.IndexOf('/', StringComparison.Ordinal);
            string? scope = cls[..slash];
            var label = cls[(slash + 1)..];
            if (scope == "*")
            {
                scope = pod.Node;
            }

            var groups = new SortedSet<string>(pod.GpuGroups, StringComparer.Ordinal);
            if (groups.Count == 0)
            {
                differences.Add($"{Short(key)} has no gpu group (fractional pod, {pod.Status})");
                continue;
            }

            entries.Add((key, (scope, label), pod.Node, groups));
        }

        foreach (var members in entries.GroupBy(e => e.Class))
        {
            var first = members.First();
            foreach (var member in members.Skip(1))
            {
                if (!member.Groups.SetEquals(first.Groups))
                {
                    differences.Add($"{Short(member.Key)} gpu group {PythonList(member.Groups)} != {Short(first.Key)}'s {PythonList(first.Groups)} (expected the same GPU)");
                }
            }
        }

        for (var i = 0; i < entries.Count; i++)
        {
            for (var j = i + 1; j < entries.Count; j++)
            {
                var (a, b) = (entries[i], entries[j]);
                if (a.Class != b.Class && a.Node == b.Node && a.Groups.Overlaps(b.Groups))
                {
                    var shared = new SortedSet<string>(a.Groups.Intersect(b.Groups), StringComparer.Ordinal);
                    differences.Add($"{Short(a.Key)} and {Short(b.Key)} share gpu group {PythonList(shared)} (expected different GPUs)");
                }
            }
        }

        return differences;
    }

    /// <summary>The first <paramref name="count"/> differences, joined, and how many more there are.</summary>
    public static string Brief(IReadOnlyList<string> differences, int count = 4) =>
        string.Join("; ", differences.Take(count)) + (differences.Count > count ? $"; +{differences.Count - count} more" : string.Empty);

    /// <summary>The pod's name without its namespace.</summary>
    public static string Short(string podKey) => podKey[(podKey.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static string At(string? node) => node is null ? string.Empty : $"@{node}";

    private static string PythonList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(i => $"'{i}'")) + "]";
}
