using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Plugins.Priority;
using Kai.Scheduling.Plugins.Proportion;

namespace Kai.Scheduling.Tests.Framework;

public sealed class PluginRegistryTests
{
    [Fact]
    public void AddPlugin_WhenTheNameIsTaken_Throws()
    {
        var builder = PluginRegistry.CreateBuilder().AddPlugin("priority", _ => new PriorityPlugin());

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddPlugin("priority", _ => new PriorityPlugin()));

        Assert.Contains("'priority' is already registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenADefaultPluginIsNotRegistered_Throws()
    {
        var builder = PluginRegistry.CreateBuilder().AddPlugin("priority", _ => new PriorityPlugin()).UseDefaultPlugins("priority", "elastic");

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("'elastic'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_WhenAPluginIsNotRegistered_NamesTheRegisteredOnes()
    {
        var registry = PluginRegistry.CreateBuilder().AddPlugin("priority", _ => new PriorityPlugin()).Build();
        var configuration = SchedulerConfiguration.Default with { Plugins = [new PluginEntry("priority"), new PluginEntry("proportion", PluginArguments.Empty, "s.yaml:3")] };

        var plugins = registry.Configure(configuration);

        var error = Assert.Single(plugins.Errors);
        Assert.Equal("s.yaml:3: unknown plugin 'proportion'; known plugins: priority.", error.ToString());
    }

    [Fact]
    public void Configure_WhenTypedOptionsAreGiven_UsesThemInsteadOfTheArguments()
    {
        var configuration = SchedulerConfiguration.Default.WithPluginOptions("minruntime", new MinRuntimeOptions { PreemptMinRuntime = TimeSpan.FromMinutes(3) });

        var plugins = KaiPlugins.Registry.Configure(configuration);

        Assert.Empty(plugins.Errors);
        Assert.Equal(TimeSpan.FromMinutes(3), plugins.Options<MinRuntimeOptions>("minruntime").PreemptMinRuntime);
    }

    [Fact]
    public void Configure_WhenTypedOptionsHaveTheWrongType_ReportsIt()
    {
        var configuration = SchedulerConfiguration.Default.WithPluginOptions("minruntime", new ProportionOptions());

        var plugins = KaiPlugins.Registry.Configure(configuration);

        Assert.Contains(plugins.Errors, e => e.Message == "options of plugin 'minruntime' must be MinRuntimeOptions, not ProportionOptions.");
    }

    [Fact]
    public void Configure_WhenTypedOptionsAreInvalid_ReportsTheirValidation()
    {
        var configuration = SchedulerConfiguration.Default.WithPluginOptions("proportion", new ProportionOptions { ReclaimerSaturationMultiplier = 0.5 });

        var plugins = KaiPlugins.Registry.Configure(configuration);

        Assert.Contains(plugins.Errors, e => e.Message == "proportion.reclaimerUtilizationMultiplier: 0.5 must be >= 1 (default 1.0).");
    }

    [Fact]
    public void Configure_WhenOptionsNameAnUnregisteredPlugin_ReportsIt()
    {
        var configuration = SchedulerConfiguration.Default.WithPluginOptions("nosuch", new ProportionOptions());

        var plugins = KaiPlugins.Registry.Configure(configuration);

        Assert.Contains(plugins.Errors, e => e.Message.StartsWith("options are given for plugin 'nosuch', which is not registered", StringComparison.Ordinal));
    }

    [Fact]
    public void Configure_WithoutAPluginList_EnablesTheDefaultsThatArePlugins()
    {
        var plugins = KaiPlugins.Registry.Configure(SchedulerConfiguration.Default);

        Assert.Equal(
            ["predicates", "proportion", "priority", "elastic", "kubeflow", "ray", "nodeavailability", "gpusharingorder", "gpupack", "resourcetype", "podaffinity", "taskorder", "nominatednode", "dynamicresources", "nodeplacement", "minruntime", "topology"],
            plugins.Names);
        Assert.Empty(plugins.Warnings);
    }

    [Fact]
    public void SchedulingEngine_WhenTheConfigurationHasErrors_ThrowsWithEveryError()
    {
        var configuration = SchedulerConfiguration.Default with { Actions = [], Plugins = [new PluginEntry("magic")] };

        var error = Assert.Throws<ArgumentException>(() => new SchedulingEngine(configuration, KaiPlugins.Registry));

        Assert.Contains("actions: at least one action is needed", error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown plugin 'magic'", error.Message, StringComparison.Ordinal);
    }
}
