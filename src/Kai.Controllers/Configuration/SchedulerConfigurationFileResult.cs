using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Configuration;

/// <summary>A configuration file, read: the configuration (null when it has errors), its errors and its warnings.</summary>
public sealed record SchedulerConfigurationFileResult(
    SchedulerConfiguration? Configuration,
    IReadOnlyList<ConfigurationMessage> Errors,
    IReadOnlyList<ConfigurationMessage> Warnings);
