using Kai.Cli.Rendering;
using Kai.Simulation.Reports;

namespace Kai.Cli.Tests;

/// <summary>
/// examples/topology.yaml, run as its header says: each gang in the domain the header names, the one that fits no
/// rack pending with the reason, and the report naming the domains (docs/topology.md).
/// </summary>
public sealed class TopologyExampleTests
{
    [Fact]
    public async Task Simulate_WhenTheTopologyExampleRuns_PlacesEachGangInTheDomainItsHeaderNames()
    {
        var report = (await RunAsync("-o", "json")).Report;

        Assert.Equal(["required example.com/rack block-a.rack-a2"], Domains(report, "llm-pretrain"));
        Assert.Equal(
            ["required example.com/block block-b", "decode required example.com/rack block-b.rack-b1", "prefill required example.com/rack block-b.rack-b2"],
            Domains(report, "serve"));
        Assert.Equal(["required example.com/block block-a", "preferred example.com/rack block-a.rack-a1"], Domains(report, "finetune"));
        Assert.Null(Group(report, "inference").Topology);
    }

    [Fact]
    public async Task Simulate_WhenNoRackHasRoomForTheWideGang_LeavesItPendingSayingWhereRoomIs()
    {
        var report = (await RunAsync("-o", "json")).Report;

        var wide = Group(report, "wide");
        Assert.Equal("Pending", wide.Status);
        Assert.Null(wide.Topology);
        Assert.All(report.Pods.Where(p => p.PodGroup == "wide"), p => Assert.Null(p.Node));
        Assert.Equal(
            "no example.com/rack domain of topology 'datacenter' has room for the 3 pods of pod group ml/wide (room for most: block-a.rack-a1 2, block-b.rack-b1 2)",
            wide.Reasons[0].Message);
    }

    [Fact]
    public async Task Simulate_WhenTheTopologyExampleRunsAsATable_NamesTheDomainAfterTheNodes()
    {
        var run = await RunAsync("-o", "json");
        using var output = new StringWriter();

        ReportTable.Write(run.Report, output, width: 200);

        Assert.Contains("a2-node-1, a2-node-2; in example.com/rack block-a.rack-a2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("in example.com/block block-a, in example.com/rack block-a.rack-a1 (preferred)", output.ToString(), StringComparison.Ordinal);
    }

    private static Task<CliRun> RunAsync(params string[] options) =>
        CliRun.RunAsync(["simulate", CliInputs.Topology, "--now", CliInputs.Now, .. options]);

    private static PodGroupReport Group(SimulationReport report, string name) => report.PodGroups.Single(g => g.Name == name);

    private static string[] Domains(SimulationReport report, string group) =>
        [.. (Group(report, group).Topology ?? []).Select(t => $"{(t.SubGroup is null ? string.Empty : t.SubGroup + " ")}{(t.Required ? "required" : "preferred")} {t.Level} {string.Join(",", t.Domains)}")];
}
