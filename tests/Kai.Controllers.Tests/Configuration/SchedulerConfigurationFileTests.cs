using Kai.Controllers.Configuration;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Plugins.NodePlacement;
using Kai.Scheduling.Plugins.Proportion;

namespace Kai.Controllers.Tests.Configuration;

public sealed class SchedulerConfigurationFileTests
{
    [Fact]
    public void Parse_WhenEmpty_GivesKaiDefaults()
    {
        var configuration = SchedulerConfigurationFile.Parse(string.Empty, "empty.yaml", out var errors);

        Assert.Empty(errors);
        Assert.Equal(SchedulerConfiguration.Default, configuration);
        Assert.Equal([ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction], configuration!.Actions);
        Assert.Equal(16, configuration.MaxConsolidationPreemptees);
        Assert.Equal(TimeSpan.FromSeconds(60), configuration.StalenessGracePeriod);
    }

    [Fact]
    public void Parse_WhenKaiConfigGiven_ReadsActionsPluginsAndArguments()
    {
        const string text = """
            actions: "allocate, reclaim"
            tiers:
              - plugins:
                  - name: predicates
                  - name: proportion
                    arguments:
                      kValue: "2.5"
                      relcaimerSaturationMultiplier: "1.5"
                  - name: nodeplacement
                    arguments: {gpu: spread, cpu: binpack}
                  - name: minruntime
                    arguments: {defaultPreemptMinRuntime: 5m, defaultReclaimMinRuntime: 1h, reclaimResolveMethod: queue}
            queueDepthPerAction: {allocate: 100}
            defaultStalenessGracePeriod: -1s
            """;

        var configuration = SchedulerConfigurationFile.Parse(text, "kai.yaml", out var errors);

        Assert.Empty(errors);
        Assert.Equal([ActionKind.Allocate, ActionKind.Reclaim], configuration!.Actions);
        Assert.Equal(["predicates", "proportion", "nodeplacement", "minruntime"], configuration.Plugins!.Select(p => p.Name));
        var plugins = KaiPlugins.Registry.Configure(configuration);
        Assert.Equal(2.5, plugins.Options<ProportionOptions>("proportion").KValue);
        Assert.Equal(1.5, plugins.Options<ProportionOptions>("proportion").ReclaimerSaturationMultiplier);
        Assert.Equal(PlacementStrategy.Spread, plugins.Options<NodePlacementOptions>("nodeplacement").Gpu);
        Assert.Equal(PlacementStrategy.Binpack, plugins.Options<NodePlacementOptions>("nodeplacement").Cpu);
        Assert.Equal(TimeSpan.FromMinutes(5), plugins.Options<MinRuntimeOptions>("minruntime").PreemptMinRuntime);
        Assert.Equal(TimeSpan.FromHours(1), plugins.Options<MinRuntimeOptions>("minruntime").ReclaimMinRuntime);
        Assert.Equal(MinRuntimeResolveMethod.Queue, plugins.Options<MinRuntimeOptions>("minruntime").ReclaimResolveMethod);
        Assert.Equal(100, configuration.QueueDepthPerAction[ActionKind.Allocate]);
        Assert.True(configuration.StalenessGracePeriod < TimeSpan.Zero);
    }

    [Fact]
    public void Parse_WhenDocumentedMultiplierKeyUsed_IsAcceptedToo()
    {
        var configuration = SchedulerConfigurationFile.Parse(
            "tiers:\n  - plugins:\n      - name: proportion\n        arguments: {reclaimerUtilizationMultiplier: 3}\n",
            "kai.yaml",
            out var errors);

        Assert.Empty(errors);
        Assert.Equal(3, KaiPlugins.Registry.Configure(configuration!).Options<ProportionOptions>("proportion").ReclaimerSaturationMultiplier);
    }

    [Fact]
    public void Parse_WhenPlacementStrategyIsSpread_TurnsConsolidationOff()
    {
        var configuration = SchedulerConfigurationFile.Parse("placementStrategy: {gpu: spread}\n", "shard.yaml", out var errors);

        Assert.Empty(errors);
        Assert.DoesNotContain(ActionKind.Consolidation, configuration!.Actions);
        Assert.Equal(PlacementStrategy.Spread, configuration.GpuPlacementStrategy);
        Assert.Equal(PlacementStrategy.Spread, KaiPlugins.Registry.Configure(configuration).Options<NodePlacementOptions>("nodeplacement").Gpu);
    }

    // Regression: the rule used to be applied while reading placementStrategy, so an actions list after it brought
    // consolidation back.
    [Theory]
    [InlineData("placementStrategy: {gpu: spread}\nactions: allocate, consolidation, reclaim\n")]
    [InlineData("actions: allocate, consolidation, reclaim\nplacementStrategy: {gpu: spread}\n")]
    [InlineData("placementStrategy: {cpu: spread}\nactions: [allocate, consolidation, reclaim]\n")]
    public void Parse_WhenPlacementStrategyIsSpread_TurnsConsolidationOffWhateverTheKeyOrder(string text)
    {
        var configuration = SchedulerConfigurationFile.Parse(text, "shard.yaml", out var errors);

        Assert.Empty(errors);
        Assert.Equal([ActionKind.Allocate, ActionKind.Reclaim], configuration!.Actions);
    }

    [Theory]
    [InlineData("actions: allocate, shuffle\n", "unknown action 'shuffle'")]
    [InlineData("tiers:\n  - plugins:\n      - name: magic\n", "unknown plugin 'magic'")]
    [InlineData("tiers:\n  - plugins:\n      - name: proportion\n        arguments: {kvalue: 1}\n", "'kvalue' is not an argument of plugin proportion")]
    [InlineData("tiers:\n  - plugins:\n      - name: nodeplacement\n        arguments: {gpu: pack}\n", "must be binpack or spread")]
    [InlineData("tiers:\n  - plugins:\n      - name: proportion\n        arguments: {reclaimerUtilizationMultiplier: 0.5}\n", "must be >= 1")]
    [InlineData("maxConsolidationPreemptees: many\n", "must be a whole number")]
    [InlineData("defaultStalenessGracePeriod: soon\n", "must be a duration")]
    [InlineData("actions: allocate\nqueueDepthPerAction: {reclaim: 5}\n", "the action is not enabled")]
    [InlineData("cycleGcBudgetMiB: -1\n", "cycleGcBudgetMiB: -1 is out of range")]
    [InlineData("cycleGcBudgetMiB: 5000\n", "cycleGcBudgetMiB: 5000 is out of range")]
    [InlineData("cycleGcBudgetMiB: lots\n", "cycleGcBudgetMiB must be a whole number")]
    [InlineData("colour: blue\n", "unknown setting 'colour'")]
    [InlineData("actions: [allocate\n", "YAML syntax error")]
    public void Parse_WhenInvalid_ReportsTheSettingAndWhatWouldBeRight(string text, string expected)
    {
        var configuration = SchedulerConfigurationFile.Parse(text, "bad.yaml", out var errors);

        Assert.Null(configuration);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("bad.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WhenCycleGcBudgetGiven_ReadsIt()
    {
        var configuration = SchedulerConfigurationFile.Parse("cycleGcBudgetMiB: 256\n", "shard.yaml", out var errors);

        Assert.Empty(errors);
        Assert.Equal(256, configuration!.CycleGcBudgetMiB);
        Assert.Equal(0, SchedulerConfiguration.Default.CycleGcBudgetMiB);
    }

    [Fact]
    public void Load_WhenFileIsMissing_ReportsThePath()
    {
        var configuration = SchedulerConfigurationFile.Load("/no/such/scheduler.yaml", out var errors);

        Assert.Null(configuration);
        Assert.Contains(errors, e => e.Contains("/no/such/scheduler.yaml", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("snapshot", "plugin 'snapshot' is accepted for compatibility with KAI but not implemented, so it has no effect: KAI's snapshot plugin")]
    [InlineData("subgrouporder", "plugin 'subgrouporder' is accepted for compatibility with KAI; its ordering")]
    public void Read_WhenAListedKaiPluginIsNotImplemented_WarnsWithItsLine(string plugin, string expected)
    {
        var result = SchedulerConfigurationFile.Read($"tiers:\n  - plugins:\n      - name: predicates\n      - name: {plugin}\n", "kai.yaml", KaiPlugins.Registry);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Configuration);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("kai.yaml:4", warning.Source);
        Assert.StartsWith(expected, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenNoPluginListIsGiven_DoesNotWarnAboutKaisDefaultList()
    {
        var result = SchedulerConfigurationFile.Read("actions: allocate\n", "kai.yaml", KaiPlugins.Registry);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Read_WhenKValueIsSet_WarnsThatItHasNoEffectYet()
    {
        var result = SchedulerConfigurationFile.Read("tiers:\n  - plugins:\n      - name: proportion\n        arguments: {kValue: 2}\n", "kai.yaml", KaiPlugins.Registry);

        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("kai.yaml:4: proportion.arguments.kValue has no effect yet: it weighs historical usage, and usage-based fair share is not implemented.", warning.ToString());
    }

    [Fact]
    public void Read_WhenPlacementIsGivenAtShardLevelAndAsPluginArguments_ThePluginArgumentsWin()
    {
        const string text = """
            placementStrategy: {gpu: spread, cpu: spread}
            tiers:
              - plugins:
                  - name: nodeplacement
                    arguments: {gpu: binpack}
            """;

        var result = SchedulerConfigurationFile.Read(text, "kai.yaml", KaiPlugins.Registry);

        var options = KaiPlugins.Registry.Configure(result.Configuration!).Options<NodePlacementOptions>("nodeplacement");
        Assert.Equal(PlacementStrategy.Binpack, options.Gpu);
        Assert.Equal(PlacementStrategy.Spread, options.Cpu);
    }

    [Theory]
    [InlineData("      - name: priority\n        arguments: {weight: 2}\n", "kai.yaml:5: priority.arguments.weight: 'weight' is not an argument of plugin priority; it takes none.")]
    [InlineData("      - name: minruntime\n        arguments: {defaultPreemptMinRuntime: [5m]}\n", "kai.yaml:5: minruntime.arguments.defaultPreemptMinRuntime must be a single value")]
    [InlineData("      - name: minruntime\n        arguments: {reclaimResolveMethod: nearest}\n", "kai.yaml:5: minruntime.arguments.reclaimResolveMethod must be lca or queue.")]
    [InlineData("      - name: minruntime\n        arguments: {defaultReclaimMinRuntime: -5m}\n", "kai.yaml:5: minruntime.arguments.defaultReclaimMinRuntime must be a duration such as 30s, 5m or 1h30m.")]
    [InlineData("      - name: proportion\n        arguments: {kValue: 1e400}\n", "kai.yaml:4: proportion.kValue: Infinity must be a number >= 0 (default 1.0).")]
    public void Read_WhenAPluginArgumentIsWrong_ReportsItsLineAndWhatWouldBeRight(string plugin, string expected)
    {
        var result = SchedulerConfigurationFile.Read("tiers:\n  - plugins:\n      - name: predicates\n" + plugin, "kai.yaml", KaiPlugins.Registry);

        Assert.Null(result.Configuration);
        Assert.Contains(result.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }
}
