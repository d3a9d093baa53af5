using System.Globalization;
using Kai.Simulation.Reports;

namespace Kai.Cli.Rendering;

/// <summary>
/// The human form of a simulation report: pod groups, queues and decisions, fitted to the terminal's width (names are
/// never broken; reasons wrap between words).
/// </summary>
internal static class ReportTable
{
    /// <summary>Width used when the output is not a terminal and <c>COLUMNS</c> is not set.</summary>
    public const int DefaultWidth = 100;

    private const int MinimumWidth = 40;

    /// <summary>The terminal's width; else <c>COLUMNS</c>; else <see cref="DefaultWidth"/>.</summary>
    public static int TerminalWidth()
    {
        if (!Console.IsOutputRedirected)
        {
            try
            {
                if (Console.WindowWidth > 0)
                {
                    return Math.Max(MinimumWidth, Console.WindowWidth);
                }
            }
            catch (IOException)
            {
                // No console attached after all.
            }
        }

        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0
            ? Math.Max(MinimumWidth, columns)
            : DefaultWidth;
    }

    public static void Write(SimulationReport report, TextWriter writer, int width)
    {
        var binds = report.Decisions.Count(d => d.Kind == "bind");
        var pipelines = report.Decisions.Count(d => d.Kind == "pipeline");
        var evictions = report.Decisions.Count(d => d.Kind == "evict");
        var summary = $"{report.Cycles} cycle(s), {report.Start:yyyy-MM-ddTHH:mm:ssZ} to {report.End:yyyy-MM-ddTHH:mm:ssZ}: {binds} bound, {pipelines} pipelined, {evictions} evicted.";
        foreach (var line in TextTable.Wrap(summary, width))
        {
            writer.WriteLine(line);
        }

        writer.WriteLine();
        Groups(report).Write(writer, width);
        Queues(report).Write(writer, width);
        if (report.Nodes?.Where(HasDevices).ToList() is { Count: > 0 } withDevices)
        {
            Devices(withDevices).Write(writer, width);
        }
    }

    private static bool HasDevices(NodeReport node) => node.Gpus > 0 || node.Mig.Count > 0 || node.DraDevices.Count > 0;

    // One row per node with GPUs, MIG instances or DRA devices.
    private static TextTable Devices(IReadOnlyList<NodeReport> nodes)
    {
        var table = new TextTable(
            "Devices",
            new TextColumn("Node"),
            new TextColumn("GPUs"),
            new TextColumn("Shared GPUs (share used, releasing)", Wrap: true),
            new TextColumn("MIG, DRA devices", Wrap: true));
        foreach (var node in nodes)
        {
            table.AddRow(node.Name, Gpus(node), string.Join("\n", node.GpuGroups.Select(SharedGpu)), string.Join("\n", node.Mig.Select(Mig).Concat(node.DraDevices.Select(Dra))));
        }

        return table;
    }

    // "8: 5 idle, 2 whole, 1 shared".
    private static string Gpus(NodeReport node)
    {
        var parts = new List<string> { $"{node.IdleGpus} idle" };
        if (node.WholeGpus.Allocated > 0)
        {
            parts.Add($"{node.WholeGpus.Allocated} whole");
        }

        if (node.WholeGpus.Pipelined > 0)
        {
            parts.Add($"{node.WholeGpus.Pipelined} pipelined");
        }

        if (node.WholeGpus.Releasing > 0)
        {
            parts.Add($"{node.WholeGpus.Releasing} releasing");
        }

        if (node.GpuGroups.Count > 0)
        {
            parts.Add($"{node.GpuGroups.Count} shared");
        }

        return $"{node.Gpus}: {string.Join(", ", parts)}";
    }

    // "3f2a…: 0.75 (2 pods)", "…: 0.25, 0.5 releasing (3 pods)".
    private static string SharedGpu(GpuGroupReport group) =>
        $"{group.Id}: {Number(group.Share)}{(group.ReleasingShare > 0 ? $", {Number(group.ReleasingShare)} releasing" : string.Empty)} ({group.Pods.Count} pod{(group.Pods.Count == 1 ? string.Empty : "s")})";

    private static string Mig(MigReport mig) => $"{mig.Resource} {mig.Used}/{mig.Capacity}";

    private static string Dra(DraDeviceReport device) => $"{device.Device}: {device.Claim ?? "free"}";

    private static TextTable Groups(SimulationReport report)
    {
        var podsByGroup = report.Pods.Where(p => p.PodGroup is not null)
            .GroupBy(p => $"{p.Namespace}/{p.PodGroup}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var table = new TextTable(
            "Pod groups",
            new TextColumn("Pod group"),
            new TextColumn("Queue"),
            new TextColumn("Prio", RightAligned: true),
            new TextColumn("Status"),
            new TextColumn("Nodes / reason", Wrap: true));
        foreach (var group in report.PodGroups)
        {
            var pods = podsByGroup.GetValueOrDefault($"{group.Namespace}/{group.Name}") ?? [];
            table.AddRow(
                $"{group.Namespace}/{group.Name}",
                group.Queue,
                group.Priority.ToString(CultureInfo.InvariantCulture),
                $"{group.Status} {pods.Count(p => p.Node is not null)}/{pods.Count}",
                Detail(group, pods, report.Cycles));
        }

        return table;
    }

    // Why it waits, else what happened to it in the last cycle, else where it runs.
    private static string Detail(PodGroupReport group, IReadOnlyList<PodReport> pods, int lastCycle)
    {
        if (group.Reasons.Count > 0)
        {
            return string.Join("; ", group.Reasons.Select(r => $"{r.Reason}: {r.Message}"));
        }

        var nodes = string.Join(", ", pods.Where(p => p.Node is not null).Select(p => p.Node!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        if (group.Topology is { Count: > 0 } domains)
        {
            nodes += "; " + string.Join(", ", domains.Select(Domains));
        }

        var disrupted = (group.Evictions ?? []).Where(e => e.Cycle == lastCycle).Select(e => e.Message).ToList();
        return disrupted.Count == 0 ? nodes : string.Join("; ", disrupted.Prepend(nodes).Where(t => t.Length > 0));
    }

    // "in example.com/rack block-a.rack-2", "prefill in example.com/rack block-b.rack-1, block-b.rack-2 (preferred)".
    private static string Domains(TopologyPlacementReport placement) =>
        $"{(placement.SubGroup is null ? string.Empty : placement.SubGroup + " ")}in {placement.Level} {string.Join(", ", placement.Domains)}{(placement.Required ? string.Empty : " (preferred)")}";

    private static TextTable Queues(SimulationReport report)
    {
        var table = new TextTable(
            "Queues (fair share / allocated / requested; quota, limit)",
            new TextColumn("Queue"),
            new TextColumn("GPU", RightAligned: true),
            new TextColumn("CPU (cores)", RightAligned: true),
            new TextColumn("Memory", RightAligned: true));
        foreach (var queue in OrderAsTree(report.Queues))
        {
            table.AddRow(queue.Name, Cell(queue, a => a.Gpu, Number), Cell(queue, a => a.Cpu, Number), Cell(queue, a => a.Memory, Bytes));
        }

        return table;
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
