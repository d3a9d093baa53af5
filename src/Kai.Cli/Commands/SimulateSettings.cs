using System.CommandLine;
using Kai.Cluster.Crds;
using Kai.Controllers.Configuration;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Simulation;
using Kai.Simulation.Bootstrap;

namespace Kai.Cli.Commands;

/// <summary>What a <c>kai simulate</c> command line asks for, read and checked.</summary>
internal sealed record SimulateSettings(
    IReadOnlyList<string> Paths,
    SimulationOptions Options,
    bool NodePoolGiven,
    bool Json)
{
    /// <summary>
    /// Reads the command line. On a problem returns null with the exit code (2 for the command line, 1 for a
    /// configuration file that cannot be used) and the messages to show.
    /// </summary>
    public static (SimulateSettings? Settings, int ExitCode, IReadOnlyList<string> Errors) Read(ParseResult parse, SimulateArguments arguments)
    {
        var json = parse.IsJson(arguments.Output);
        var (loaded, configurationWarnings, configurationErrors) = ReadConfiguration(parse, arguments);
        if (loaded is not { } configuration)
        {
            return (null, ExitCodes.CouldNotRun, configurationErrors);
        }

        var errors = new List<string>();
        configuration = WithActions(parse.GetValue(arguments.Actions), configuration, errors);

        var start = TimeProvider.System.GetUtcNow();
        if (parse.GetValue(arguments.Now) is { } nowText && !Rfc3339.TryParse(nowText, out start))
        {
            errors.Add($"error: --now '{nowText}' is not an RFC 3339 time; write e.g. 2026-01-01T00:00:00Z.");
        }

        var intervalText = parse.GetValue(arguments.Interval)!;
        if (!GoDuration.TryParse(intervalText, out var step, out _) || step.IsNegative)
        {
            errors.Add($"error: --interval '{intervalText}' is not a duration; write e.g. 30s or 5m.");
        }

        var pool = NodePoolSpec.Default;
        var poolText = parse.GetValue(arguments.NodePool);
        if (poolText is not null && !NodePoolSpec.TryParse(poolText, out pool, out var poolError))
        {
            errors.Add($"error: --node-pool: {poolError}");
        }

        if (errors.Count > 0)
        {
            return (null, ExitCodes.Usage, errors);
        }

        var options = new SimulationOptions
        {
            Cycles = parse.GetValue(arguments.Cycles),
            Configuration = configuration,
            Start = start,
            Interval = step.ToTimeSpan(),
            NodePool = pool,
            ResubmitEvictedPods = !parse.GetValue(arguments.NoResubmit),
            ConfigurationWarnings = configurationWarnings,
        };
        return (new SimulateSettings(parse.GetValue(arguments.Paths)!, options, poolText is not null, json), ExitCodes.Success, []);
    }

    private static (SchedulerConfiguration? Configuration, IReadOnlyList<ConfigurationMessage> Warnings, IReadOnlyList<string> Errors) ReadConfiguration(ParseResult parse, SimulateArguments arguments)
    {
        if (parse.GetValue(arguments.Config) is not { } configPath)
        {
            return (SchedulerConfiguration.Default, [], []);
        }

        var loaded = SchedulerConfigurationFile.Load(configPath, KaiPlugins.Registry);
        return (loaded.Configuration, loaded.Warnings, loaded.Errors.Select(e => $"error: {e}").ToList());
    }

    private static SchedulerConfiguration WithActions(string? actionList, SchedulerConfiguration configuration, List<string> errors)
    {
        if (actionList is null)
        {
            return configuration;
        }

        if (!ActionList.TryParse(actionList, out var selected, out var actionError))
        {
            errors.Add(actionError);
            return configuration;
        }

        var narrowed = configuration with
        {
            Actions = selected,
            QueueDepthPerAction = configuration.QueueDepthPerAction.Where(p => selected.Contains(p.Key)).ToDictionary(),
        };
        if (narrowed.Validate() is { Count: > 0 } problems)
        {
            errors.Add($"error: --actions: {string.Join(" ", problems)}");
        }

        return narrowed;
    }
}
