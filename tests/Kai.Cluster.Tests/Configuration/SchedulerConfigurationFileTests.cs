using Kai.Controllers.Configuration;
using Kai.Scheduling.Configuration;

namespace Kai.Cluster.Tests.Configuration;

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
        Assert.Equal(["predicates", "proportion", "nodeplacement", "minruntime"], configuration.Plugins);
        Assert.Equal(2.5, configuration.Proportion.KValue);
        Assert.Equal(1.5, configuration.Proportion.ReclaimerSaturationMultiplier);
        Assert.Equal(PlacementStrategy.Spread, configuration.Placement.Gpu);
        Assert.Equal(PlacementStrategy.Binpack, configuration.Placement.Cpu);
        Assert.Equal(TimeSpan.FromMinutes(5), configuration.MinRuntime.PreemptMinRuntime);
        Assert.Equal(TimeSpan.FromHours(1), configuration.MinRuntime.ReclaimMinRuntime);
        Assert.Equal(MinRuntimeResolveMethod.Queue, configuration.MinRuntime.ReclaimResolveMethod);
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
        Assert.Equal(3, configuration!.Proportion.ReclaimerSaturationMultiplier);
    }

    [Fact]
    public void Parse_WhenPlacementStrategyIsSpread_TurnsConsolidationOff()
    {
        var configuration = SchedulerConfigurationFile.Parse("placementStrategy: {gpu: spread}\n", "shard.yaml", out var errors);

        Assert.Empty(errors);
        Assert.DoesNotContain(ActionKind.Consolidation, configuration!.Actions);
        Assert.Equal(PlacementStrategy.Spread, configuration.Placement.Gpu);
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
    [InlineData("colour: blue\n", "unknown setting 'colour'")]
    [InlineData("actions: [allocate\n", "YAML syntax error")]
    public void Parse_WhenInvalid_ReportsTheSettingAndWhatWouldBeRight(string text, string expected)
    {
        var configuration = SchedulerConfigurationFile.Parse(text, "bad.yaml", out var errors);

        Assert.Null(configuration);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("bad.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_WhenFileIsMissing_ReportsThePath()
    {
        var configuration = SchedulerConfigurationFile.Load("/no/such/scheduler.yaml", out var errors);

        Assert.Null(configuration);
        Assert.Contains(errors, e => e.Contains("/no/such/scheduler.yaml", StringComparison.Ordinal));
    }
}
