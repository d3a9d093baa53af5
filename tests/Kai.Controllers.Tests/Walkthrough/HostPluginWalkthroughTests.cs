using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Controllers.Configuration;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Controllers.Tests.Walkthrough;

/// <summary>
/// Proves docs/architecture.md's "how to add a plugin": a plugin defined here, outside the scheduler's assemblies,
/// registered with the registry next to KAI's, and switched on by a configuration file read by the real reader,
/// changes where the scheduler puts a pod.
/// </summary>
public sealed class HostPluginWalkthroughTests
{
    private const string Configuration = """
        tiers:
          - plugins:
              - name: predicates
              - name: proportion
              - name: nodeplacement
              - name: drainingnodes
                arguments: {label: example.com/draining}
        """;

    // Two empty nodes: binpack ties, and the tie goes to the first name, n1 — which is draining.
    private const string Scenario = """
        apiVersion: v1
        kind: Node
        metadata: {name: n1, labels: {example.com/draining: "true"}}
        status: {allocatable: {cpu: "64", memory: 512Gi, nvidia.com/gpu: "8", pods: "110"}}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: n2}
        status: {allocatable: {cpu: "64", memory: 512Gi, nvidia.com/gpu: "8", pods: "110"}}
        ---
        apiVersion: scheduling.run.ai/v2
        kind: Queue
        metadata: {name: team-a}
        spec:
          resources:
            gpu: {quota: -1, overQuotaWeight: 1, limit: -1}
            cpu: {quota: -1, overQuotaWeight: 1, limit: -1}
            memory: {quota: -1, overQuotaWeight: 1, limit: -1}
        ---
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata: {name: train, namespace: ml}
        spec: {minMember: 1, queue: team-a}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: train-0
          namespace: ml
          annotations: {pod-group-name: train}
          labels: {kai.scheduler/queue: team-a}
        spec:
          schedulerName: kai-scheduler
          containers:
            - {name: main, image: trainer, resources: {limits: {nvidia.com/gpu: "1"}}}
        """;

    private static readonly PluginRegistry Registry = PluginRegistry.CreateBuilder()
        .AddKaiPlugins()
        .AddPlugin(DrainingNodesPlugin.PluginName, DrainingNodesOptions.Bind, (options, _) => new DrainingNodesPlugin(options))
        .Build();

    [Fact]
    public async Task Scheduler_WhenTheConfigurationSwitchesOnAHostsPlugin_AvoidsTheNodeItRules()
    {
        var configuration = Read(Configuration);

        var bind = await ScheduleAsync(configuration);

        Assert.Equal("n2", bind.Node?.Value);
    }

    [Fact]
    public async Task Scheduler_WithoutTheHostsPlugin_UsesTheFirstNode()
    {
        var configuration = Read(Configuration[..Configuration.IndexOf("      - name: drainingnodes", StringComparison.Ordinal)]);
        Assert.DoesNotContain(configuration.Plugins!, p => p.Name == DrainingNodesPlugin.PluginName);

        var bind = await ScheduleAsync(configuration);

        Assert.Equal("n1", bind.Node?.Value);
    }

    [Fact]
    public async Task Scheduler_WhenNoNodeIsLeft_ExplainsWithTheHostsReasonCountedPerNode()
    {
        var scenario = Scenario.Replace("metadata: {name: n2}", "metadata: {name: n2, labels: {example.com/draining: \"true\"}}", StringComparison.Ordinal)
            + "\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n3}\nstatus: {allocatable: {cpu: \"64\", memory: 512Gi, pods: \"110\"}}\n";

        var outcome = await RunAsync(Read(Configuration), scenario);

        Assert.Empty(outcome.Result.Decisions);
        var explanation = Assert.Single(outcome.Result.Explanations);
        Assert.EndsWith("0/3 nodes fit: 2 node draining (example.com/draining=true), 1 insufficient nvidia.com/gpu.", explanation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTheHostsPluginIsNotRegistered_ReportsAnUnknownPlugin()
    {
        var result = SchedulerConfigurationFile.Read(Configuration, "walkthrough.yaml", KaiPlugins.Registry);

        Assert.Contains(result.Errors, e => e.ToString().StartsWith("walkthrough.yaml:6: unknown plugin 'drainingnodes'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{label: with space}", "walkthrough.yaml:6: drainingnodes.arguments.label: 'with space' is not a node label")]
    [InlineData("{lable: example.com/draining}", "walkthrough.yaml:7: drainingnodes.arguments.lable: 'lable' is not an argument of plugin drainingnodes; its arguments are label")]
    public void Read_WhenTheHostsPluginsArgumentIsWrong_ReportsItWithTheLine(string arguments, string expected)
    {
        var result = SchedulerConfigurationFile.Read(Configuration.Replace("{label: example.com/draining}", arguments, StringComparison.Ordinal), "walkthrough.yaml", Registry);

        Assert.Null(result.Configuration);
        Assert.Contains(result.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    private static SchedulerConfiguration Read(string text)
    {
        var result = SchedulerConfigurationFile.Read(text, "walkthrough.yaml", Registry);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        return result.Configuration!;
    }

    private static async Task<SchedulingDecision> ScheduleAsync(SchedulerConfiguration configuration)
    {
        var outcome = await RunAsync(configuration, Scenario);
        return Assert.Single(outcome.Result.Decisions, d => d.Kind == DecisionKind.Bind);
    }

    /// <summary>One scheduling cycle of the scenario on the embedded cluster, with the host's registry.</summary>
    private static async Task<CycleOutcome> RunAsync(SchedulerConfiguration configuration, string scenario)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        var manifests = ManifestLoader.LoadText(scenario, "scenario.yaml");
        Assert.Empty(manifests.Diagnostics);
        cluster.Load(manifests.Objects.Select(o => o.Object));
        using var scheduler = await Scheduler.CreateAsync(cluster, configuration, Registry, clock);
        return await scheduler.RunCycleAsync();
    }
}
