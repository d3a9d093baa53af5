using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Framework;

/// <summary>What a plugin factory may use besides the plugin's own options: the scheduler-wide settings.</summary>
public sealed record PluginContext(SchedulerConfiguration Configuration);
