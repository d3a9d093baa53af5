using Kai.Simulation.Reports;

namespace Kai.Scenarios.Tests.Harness;

/// <summary>Compares a report with a scenario's expectations and lists every difference, not just the first.</summary>
internal static class ScenarioChecker
{
    public static List<string> Check(ScenarioExpectation.Expected expected, CliRun run, SimulationReport report)
    {
        var problems = new List<string>();
        if (expected.ExitCode is { } exitCode && exitCode != run.ExitCode)
        {
            problems.Add($"exit code {run.ExitCode}, expected {exitCode}");
        }

        foreach (var pod in expected.Pods)
        {
            CheckPod(pod, report, problems);
        }

        CheckGroups(expected, report, problems);
        CheckQueues(expected, report, problems);
        CheckDecisions(expected, report, problems);
        CheckDiagnostics(expected, report, problems);
        return problems;
    }

    private static void CheckGroups(ScenarioExpectation.Expected expected, SimulationReport report, List<string> problems)
    {
        foreach (var group in expected.PodGroups)
        {
            var actual = report.PodGroups.FirstOrDefault(g => $"{g.Namespace}/{g.Name}" == group.Name || (group.Name.EndsWith('*') && $"{g.Namespace}/{g.Name}".StartsWith(group.Name[..^1], StringComparison.Ordinal)));
            if (actual is null)
            {
                problems.Add($"pod group {group.Name}: not in the report (have: {string.Join(", ", report.PodGroups.Select(g => $"{g.Namespace}/{g.Name}"))})");
                continue;
            }

            Expect(problems, $"pod group {group.Name} status", group.Status, actual.Status);
            Expect(problems, $"pod group {group.Name} priority", group.Priority?.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var first = actual.Reasons.Count > 0 ? actual.Reasons[0] : null;
            Expect(problems, $"pod group {group.Name} reason", group.Reason, first?.Reason);
            if (group.MessageContains is { } text && first?.Message.Contains(text, StringComparison.Ordinal) != true)
            {
                problems.Add($"pod group {group.Name} message should contain \"{text}\" but is \"{first?.Message}\"");
            }

            var evictions = actual.Evictions ?? [];
            if (group.EvictionContains is { } story && !evictions.Any(e => e.Message.Contains(story, StringComparison.Ordinal)))
            {
                problems.Add($"pod group {group.Name} should have an eviction containing \"{story}\"; evictions: {string.Join(" | ", evictions.Select(e => $"c{e.Cycle} {e.Action}: {e.Message}"))}");
            }

            if (group.NoteContains is { } note && !actual.Reasons.Skip(1).Any(r => $"{r.Reason}: {r.Message}".Contains(note, StringComparison.Ordinal)))
            {
                problems.Add($"pod group {group.Name} should have a note containing \"{note}\"; reasons: {string.Join(" | ", actual.Reasons.Select(r => $"{r.Reason}: {r.Message}"))}");
            }
        }
    }

    private static void CheckQueues(ScenarioExpectation.Expected expected, SimulationReport report, List<string> problems)
    {
        foreach (var queue in expected.Queues)
        {
            var actual = report.Queues.FirstOrDefault(q => q.Name == queue.Name);
            if (actual is null)
            {
                problems.Add($"queue {queue.Name}: not in the report");
                continue;
            }

            CheckAmounts(problems, $"queue {queue.Name} fairShare", queue.FairShare, actual.FairShare);
            CheckAmounts(problems, $"queue {queue.Name} allocated", queue.Allocated, actual.Allocated);
            CheckAmounts(problems, $"queue {queue.Name} requested", queue.Requested, actual.Requested);
        }
    }

    private static void CheckDecisions(ScenarioExpectation.Expected expected, SimulationReport report, List<string> problems)
    {
        foreach (var (kind, count) in expected.DecisionCounts)
        {
            var actual = report.Decisions.Count(d => d.Kind == kind || d.Action == kind);
            if (actual != count)
            {
                problems.Add($"{actual} decisions of kind/action '{kind}', expected {count}");
            }
        }

        foreach (var decision in expected.Decisions)
        {
            if (!report.Decisions.Any(d => Matches(decision, d)))
            {
                problems.Add($"no decision like {Describe(decision)}; decisions: {string.Join("; ", report.Decisions.Select(d => $"c{d.Cycle} {d.Action} {d.Kind} {d.Pod}->{d.Node}"))}");
            }
        }

        foreach (var decision in expected.NoDecisions)
        {
            if (report.Decisions.FirstOrDefault(d => Matches(decision, d)) is { } unwanted)
            {
                problems.Add($"unexpected decision c{unwanted.Cycle} {unwanted.Action} {unwanted.Kind} {unwanted.Pod}->{unwanted.Node} (matches {Describe(decision)})");
            }
        }

        CheckSequence(expected.DecisionSequence, report, problems);
    }

    private static void CheckDiagnostics(ScenarioExpectation.Expected expected, SimulationReport report, List<string> problems)
    {
        foreach (var diagnostic in expected.Diagnostics)
        {
            var found = report.Diagnostics.Any(d =>
                (diagnostic.Severity is null || d.Severity == diagnostic.Severity)
                && (diagnostic.Object is null || d.Object == diagnostic.Object)
                && (diagnostic.SourceContains is null || d.Source?.Contains(diagnostic.SourceContains, StringComparison.Ordinal) == true)
                && (diagnostic.MessageContains is null || d.Message.Contains(diagnostic.MessageContains, StringComparison.Ordinal)));
            if (!found)
            {
                problems.Add($"no diagnostic {diagnostic.Severity} [{diagnostic.SourceContains}] {diagnostic.Object} \"{diagnostic.MessageContains}\"; diagnostics: {string.Join(" | ", report.Diagnostics.Select(d => $"{d.Severity} [{d.Source}] {d.Object}: {d.Message}"))}");
            }
        }
    }

    private static void CheckPod(ScenarioExpectation.PodExpectation pod, SimulationReport report, List<string> problems)
    {
        var matches = report.Pods.Where(p => NameMatches(pod.Name, $"{p.Namespace}/{p.Name}")).ToList();
        if (pod.Gone == true)
        {
            if (matches.Count > 0)
            {
                problems.Add($"pod {pod.Name} should be gone but is {matches[0].Status}");
            }

            return;
        }

        if (matches.Count == 0)
        {
            problems.Add($"pod {pod.Name}: not in the report");
            return;
        }

        foreach (var actual in matches)
        {
            Expect(problems, $"pod {actual.Namespace}/{actual.Name} status", pod.Status, actual.Status);
            Expect(problems, $"pod {actual.Namespace}/{actual.Name} node", pod.Node, actual.Node);
            Expect(problems, $"pod {actual.Namespace}/{actual.Name} previousNode", pod.PreviousNode, actual.PreviousNode);
        }

        if (pod.SameNodeAs == true && matches.Select(m => m.Node).Distinct().Count() != 1)
        {
            problems.Add($"pods {pod.Name} should share one node but are on {string.Join(", ", matches.Select(m => m.Node))}");
        }
    }

    private static void CheckSequence(List<ScenarioExpectation.DecisionExpectation> sequence, SimulationReport report, List<string> problems)
    {
        var next = 0;
        foreach (var decision in report.Decisions)
        {
            if (next < sequence.Count && Matches(sequence[next], decision))
            {
                next++;
            }
        }

        if (next < sequence.Count)
        {
            problems.Add($"decisions are not in the expected order: {Describe(sequence[next])} (step {next + 1} of {sequence.Count}) does not follow the earlier steps; decisions: {string.Join("; ", report.Decisions.Select(d => $"c{d.Cycle} {d.Action} {d.Kind} {d.Pod}->{d.Node}"))}");
        }
    }

    private static bool Matches(ScenarioExpectation.DecisionExpectation expected, DecisionReport actual) =>
        (expected.Cycle is null || expected.Cycle == actual.Cycle)
        && (expected.Action is null || expected.Action == actual.Action)
        && (expected.Kind is null || expected.Kind == actual.Kind)
        && (expected.Pod is null || NameMatches(expected.Pod, actual.Pod))
        && (expected.Node is null || expected.Node == actual.Node);

    private static bool NameMatches(string pattern, string name) =>
        pattern.EndsWith('*') ? name.StartsWith(pattern[..^1], StringComparison.Ordinal) : name == pattern;

    private static string Describe(ScenarioExpectation.DecisionExpectation d) =>
        $"{{cycle {d.Cycle}, action {d.Action}, kind {d.Kind}, pod {d.Pod}, node {d.Node}}}";

    private static void CheckAmounts(List<string> problems, string what, Dictionary<string, decimal> expected, ResourceAmounts actual)
    {
        foreach (var (resource, value) in expected)
        {
            var got = resource switch
            {
                "cpu" => actual.Cpu,
                "memory" => actual.Memory,
                "gpu" => actual.Gpu,
                _ => decimal.MinValue,
            };
            if (got != value)
            {
                problems.Add($"{what}.{resource} is {got}, expected {value}");
            }
        }
    }

    private static void Expect(List<string> problems, string what, string? expected, string? actual)
    {
        if (expected is not null && expected != actual)
        {
            problems.Add($"{what} is {actual ?? "null"}, expected {expected}");
        }
    }
}
