using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Plugins.NodePlacement;
using Kai.Scheduling.Plugins.Proportion;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>Typed options of KAI's plugins on a configuration: set in tests, and read back as the registry binds them.</summary>
internal static class PluginSettings
{
    public static SchedulerConfiguration WithMinRuntime(this SchedulerConfiguration configuration, MinRuntimeOptions options) =>
        configuration.WithPluginOptions(MinRuntimePlugin.PluginName, options);

    public static SchedulerConfiguration WithProportion(this SchedulerConfiguration configuration, ProportionOptions options) =>
        configuration.WithPluginOptions(ProportionPlugin.PluginName, options);

    public static SchedulerConfiguration WithPlacement(this SchedulerConfiguration configuration, NodePlacementOptions options) =>
        configuration.WithPluginOptions(NodePlacementPlugin.PluginName, options);

    public static MinRuntimeOptions MinRuntime(this SchedulerConfiguration configuration) => Bound<MinRuntimeOptions>(configuration, MinRuntimePlugin.PluginName);

    public static ProportionOptions Proportion(this SchedulerConfiguration configuration) => Bound<ProportionOptions>(configuration, ProportionPlugin.PluginName);

    public static NodePlacementOptions Placement(this SchedulerConfiguration configuration) => Bound<NodePlacementOptions>(configuration, NodePlacementPlugin.PluginName);

    private static TOptions Bound<TOptions>(SchedulerConfiguration configuration, string plugin)
        where TOptions : IPluginOptions =>
        KaiPlugins.Registry.Configure(configuration).Options<TOptions>(plugin);
}
