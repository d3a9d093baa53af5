using System.Globalization;
using Kai.Simulation.Reports;
using Spectre.Console;

namespace Kai.Cli.Rendering;

/// <summary>The human form of a simulation report: pod groups, queues and decisions, readable in 100 columns.</summary>
internal static class ReportTable
{
    public static void Write(SimulationReport report, TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 100;

        var binds = report.Decisions.Count(d => d.Kind == "bind");
        var pipelines = report.Decisions.Count(d => d.Kind == "pipeline");
        var evictions = report.Decisions.Count(d => d.Kind == "evict");
        console.WriteLine($"{report.Cycles} cycle(s), {report.Start:yyyy-MM-ddTHH:mm:ssZ} to {report.End:yyyy-MM-ddTHH:mm:ssZ}: {binds} bound, {pipelines} pipelined, {evictions} evicted.");
        console.WriteLine();

        var podsByGroup = report.Pods.Where(p => p.PodGroup is not null).GroupBy(p => $"{p.Namespace}/{p.PodGroup}").ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var groups = new Table().Title("Pod groups").Border(TableBorder.Simple).Expand();
        groups.AddColumn("Pod group");
        groups.AddColumn("Queue");
        groups.AddColumn(new TableColumn("Prio").RightAligned());
        groups.AddColumn("Status");
        groups.AddColumn("Nodes / reason");
        foreach (var group in report.PodGroups)
        {
            var pods = podsByGroup.GetValueOrDefault($"{group.Namespace}/{group.Name}") ?? [];
            var nodes = string.Join(", ", pods.Where(p => p.Node is not null).Select(p => p.Node!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            var detail = group.Reasons.Count > 0 ? string.Join("; ", group.Reasons.Select(r => $"{r.Reason}: {r.Message}")) : nodes;
            groups.AddRow(
                Markup.Escape($"{group.Namespace}/{group.Name}"),
                Markup.Escape(group.Queue),
                group.Priority.ToString(CultureInfo.InvariantCulture),
                $"{group.Status} {pods.Count(p => p.Node is not null)}/{pods.Count}",
                Markup.Escape(detail));
        }

        console.Write(groups);
        console.WriteLine();

        var queues = new Table().Title("Queues (fair share / allocated / requested; quota, limit)").Border(TableBorder.Simple).Expand();
        queues.AddColumn("Queue");
        queues.AddColumn(new TableColumn("GPU").RightAligned());
        queues.AddColumn(new TableColumn("CPU (cores)").RightAligned());
        queues.AddColumn(new TableColumn("Memory").RightAligned());
        foreach (var queue in OrderAsTree(report.Queues))
        {
            queues.AddRow(
                Markup.Escape(queue.Name),
                Cell(queue, a => a.Gpu, Number),
                Cell(queue, a => a.Cpu, Number),
                Cell(queue, a => a.Memory, Bytes));
        }

        console.Write(queues);
    }

    private static string Cell(QueueReport queue, Func<ResourceAmounts, decimal> pick, Func<decimal, string> format) =>
        $"{format(pick(queue.FairShare))} / {format(pick(queue.Allocated))} / {format(pick(queue.Requested))}\nq {Limit(pick(queue.Quota), format)}, l {Limit(pick(queue.Limit), format)}";

    private static string Limit(decimal value, Func<decimal, string> format) => value == -1 ? "∞" : format(value);

    private static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Bytes(decimal value) => value switch
    {
        >= 1L << 40 => $"{value / (1L << 40):0.#}Ti",
        >= 1L << 30 => $"{value / (1L << 30):0.#}Gi",
        >= 1L << 20 => $"{value / (1L << 20):0.#}Mi",
        _ => value.ToString("0", CultureInfo.InvariantCulture),
    };

    private static IEnumerable<QueueReport> OrderAsTree(IReadOnlyList<QueueReport> queues)
    {
        var children = queues.ToLookup(q => q.Parent ?? string.Empty, StringComparer.Ordinal);
        var known = new HashSet<string>(queues.Select(q => q.Name), StringComparer.Ordinal);
        IEnumerable<QueueReport> Walk(string parent, int depth) =>
            children[parent].OrderBy(q => q.Name, StringComparer.Ordinal)
                .SelectMany(q => new[] { q with { Name = new string(' ', depth * 2) + q.Name } }.Concat(Walk(q.Name, depth + 1)));
        return Walk(string.Empty, 0).Concat(queues.Where(q => q.Parent is not null && !known.Contains(q.Parent)));
    }
}
