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

    /// <summary>
    /// KAI's topology guide: a Topology with block, rack and hostname levels, and a workload that asks for a rack only
    /// through the <c>kai.scheduler/topology*</c> annotations; the pod-grouper carries them into its PodGroup. Binpack
    /// alone would choose "unlabelled" (fewest free GPUs), which is outside the topology.
    /// </summary>
    [Fact]
    public async Task Simulate_WhenABarePodCarriesKaisTopologyAnnotations_PlacesItInsideTheRackWithRoom()
    {
        var path = CliInputs.WriteConfig("topology-annotations.yaml", """
            apiVersion: kai.scheduler/v1alpha1
            kind: Topology
            metadata:
              name: "cluster-topology"
            spec:
              levels:
              - nodeLabel: "cloud.provider.com/topology-block"
              - nodeLabel: "cloud.provider.com/topology-rack"
              - nodeLabel: "kubernetes.io/hostname"
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: full
              labels: {cloud.provider.com/topology-block: b1, cloud.provider.com/topology-rack: r1, kubernetes.io/hostname: full}
            status:
              allocatable: {cpu: "16", memory: 64Gi, nvidia.com/gpu: "0", pods: "110"}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: unlabelled
            status:
              allocatable: {cpu: "16", memory: 64Gi, nvidia.com/gpu: "1", pods: "110"}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: free
              labels: {cloud.provider.com/topology-block: b1, cloud.provider.com/topology-rack: r2, kubernetes.io/hostname: free}
            status:
              allocatable: {cpu: "16", memory: 64Gi, nvidia.com/gpu: "2", pods: "110"}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: rack-pod
              annotations:
                kai.scheduler/topology: "cluster-topology"
                kai.scheduler/topology-required-placement: "cloud.provider.com/topology-rack"
            spec:
              schedulerName: kai-scheduler
              containers:
              - name: main
                image: ubuntu
                resources: {limits: {nvidia.com/gpu: "1"}}
            """);

        var run = await CliRun.RunAsync(["simulate", path, "--now", CliInputs.Now, "-o", "json"]);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        Assert.Equal("free", Assert.Single(run.Report.Pods).Node);
        var placement = Assert.Single(Assert.Single(run.Report.PodGroups).Topology ?? []);
        Assert.Equal(("cluster-topology", "cloud.provider.com/topology-rack", true, "b1.r2"), (placement.Topology, placement.Level, placement.Required, Assert.Single(placement.Domains)));
    }

    private static Task<CliRun> RunAsync(params string[] options) =>
        CliRun.RunAsync(["simulate", CliInputs.Topology, "--now", CliInputs.Now, .. options]);

    private static PodGroupReport Group(SimulationReport report, string name) => report.PodGroups.Single(g => g.Name == name);

    private static string[] Domains(SimulationReport report, string group) =>
        [.. (Group(report, group).Topology ?? []).Select(t => $"{(t.SubGroup is null ? string.Empty : t.SubGroup + " ")}{(t.Required ? "required" : "preferred")} {t.Level} {string.Join(",", t.Domains)}")];
}
