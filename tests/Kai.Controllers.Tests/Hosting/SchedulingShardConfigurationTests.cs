using System.Text.Json;
using Kai.Controllers.Hosting;
using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Tests.Hosting;

public sealed class SchedulingShardConfigurationTests
{
    [Fact]
    public void Map_WhenNumbersAreWrittenAsWords_WarnsAndKeepsTheDefaults()
    {
        var spec = JsonDocument.Parse("""
            {
              "kValue": "high",
              "actions": {"reclaim": {"priority": "first"}},
              "queueDepthPerAction": {"allocate": "fifty"},
              "plugins": {"gpuspread": {"priority": "last"}}
            }
            """).RootElement;

        var configuration = SchedulingShardConfiguration.Map("default", spec, SchedulerConfiguration.Default, out _, out var warnings);

        Assert.Equal(SchedulerConfiguration.Default.Actions, configuration.Actions);
        Assert.Empty(configuration.QueueDepthPerAction);
        Assert.Contains(warnings, w => w.Contains("spec.kValue must be a number", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("spec.queueDepthPerAction.allocate", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("spec.plugins.gpuspread.priority must be a whole number", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_WhenGpuPlacementSpreads_DropsConsolidation()
    {
        var spec = JsonDocument.Parse("""{"placementStrategy": {"gpu": "spread"}}""").RootElement;

        var configuration = SchedulingShardConfiguration.Map("default", spec, SchedulerConfiguration.Default, out _, out var warnings);

        Assert.DoesNotContain(ActionKind.Consolidation, configuration.Actions);
        Assert.Contains(ActionKind.Allocate, configuration.Actions);
        Assert.Empty(warnings);
    }
}
