using System.CommandLine;
using Kai.Cli.Rendering;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;
using Kai.Controllers.Configuration;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Kai.Simulation;
using Kai.Simulation.Bootstrap;
using Kai.Simulation.Reports;

namespace Kai.Cli.Commands;

/// <summary><c>kai simulate</c>: run scheduling cycles on the embedded cluster and report the result.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "YAML files or directories of Kubernetes manifests (nodes, queues, pod groups, pods, priority classes).", Arity = ArgumentArity.OneOrMore };
        var cycles = new Option<int>("--cycles") { Description = "Scheduling cycles to run.", DefaultValueFactory = _ => 1 };
        var actions = new Option<string?>("--actions") { Description = $"Comma-separated actions to run, in order (default: from the configuration; all: {ActionNames.All})." };
        var config = new Option<string?>("--config") { Description = "Scheduler configuration file (YAML, see docs/configuration.md)." };
        var now = new Option<string?>("--now") { Description = "Simulated time of the first cycle (RFC 3339, e.g. 2026-01-01T00:00:00Z); default: the wall clock." };
        var interval = new Option<string>("--interval") { Description = "Simulated time between cycles (e.g. 30s, 5m).", DefaultValueFactory = _ => "30s" };
        var nodePool = new Option<string?>("--node-pool") { Description = $"Nodes to create when the input has none, e.g. count=4,gpu=8,cpu=64,memory=512Gi (default: {NodePoolSpec.Default})." };
        var output = OutputOption.Create();

        paths.Validators.Add(r =>
        {
            // An option the parser did not recognise would otherwise be taken for a file name.
            foreach (var token in r.Tokens)
            {
                if (token.Value.StartsWith('-') && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    r.AddError($"Unrecognized option '{token.Value}'. Options are --cycles, --actions, --config, --now, --interval, --node-pool, --output; see kai simulate --help.");
                }
            }
        });
        cycles.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--cycles must be 1 or more.");
            }
        });

        var command = new Command("simulate", "Schedule the given manifests on the embedded cluster for N cycles and report pods, pod groups, queues and decisions.")
        {
            paths, cycles, actions, config, now, interval, nodePool, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var configuration = SchedulerConfiguration.Default;
            IReadOnlyList<ConfigurationMessage> configurationWarnings = [];
            if (parse.GetValue(config) is { } configPath)
            {
                var loaded = SchedulerConfigurationFile.Load(configPath, KaiPlugins.Registry);
                if (loaded.Configuration is null)
                {
                    foreach (var error in loaded.Errors)
                    {
                        await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
                    }

                    return ExitCodes.CouldNotRun;
                }

                configuration = loaded.Configuration;
                configurationWarnings = loaded.Warnings;
                if (parse.IsJson(output))
                {
                    // The table report prints every diagnostic on stderr; the JSON one carries them in its diagnostics.
                    foreach (var warning in configurationWarnings)
                    {
                        await stderr.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
                    }
                }
            }

            if (parse.GetValue(actions) is { } actionList)
            {
                if (!ActionList.TryParse(actionList, out var selected, out var actionError))
                {
                    await stderr.WriteLineAsync(actionError).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                configuration = configuration with { Actions = selected, QueueDepthPerAction = configuration.QueueDepthPerAction.Where(p => selected.Contains(p.Key)).ToDictionary() };
                if (configuration.Validate() is { Count: > 0 } problems)
                {
                    await stderr.WriteLineAsync($"error: --actions: {string.Join(" ", problems)}").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            var start = TimeProvider.System.GetUtcNow();
            if (parse.GetValue(now) is { } nowText && !Rfc3339.TryParse(nowText, out start))
            {
                await stderr.WriteLineAsync($"error: --now '{nowText}' is not an RFC 3339 time; write e.g. 2026-01-01T00:00:00Z.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var intervalText = parse.GetValue(interval)!;
            if (!GoDuration.TryParse(intervalText, out var step, out _) || step.IsNegative)
            {
                await stderr.WriteLineAsync($"error: --interval '{intervalText}' is not a duration; write e.g. 30s or 5m.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var pool = NodePoolSpec.Default;
            if (parse.GetValue(nodePool) is { } poolText && !NodePoolSpec.TryParse(poolText, out pool, out var poolError))
            {
                await stderr.WriteLineAsync($"error: --node-pool: {poolError}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var manifests = ManifestLoader.LoadPaths(parse.GetValue(paths)!);
            if (manifests.Objects.Count == 0)
            {
                foreach (var diagnostic in manifests.Diagnostics)
                {
                    await stderr.WriteLineAsync(DiagnosticText.Of(diagnostic)).ConfigureAwait(false);
                }

                await stderr.WriteLineAsync("error: no usable objects were loaded; nothing to simulate.").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }

            var options = new SimulationOptions
            {
                Cycles = parse.GetValue(cycles),
                Configuration = configuration,
                Start = start,
                Interval = step.ToTimeSpan(),
                NodePool = pool,
                ConfigurationWarnings = configurationWarnings,
            };
            var result = await SimulationRunner.RunAsync(manifests, options, cancellationToken).ConfigureAwait(false);
            var report = result.Report;
            if (parse.IsJson(output))
            {
                await stdout.WriteLineAsync(ReportJson.Serialize(report)).ConfigureAwait(false);
            }
            else
            {
                ReportTable.Write(report, stdout);
                foreach (var diagnostic in report.Diagnostics)
                {
                    await stderr.WriteLineAsync(DiagnosticText.Of(diagnostic)).ConfigureAwait(false);
                }
            }

            return report.Diagnostics.Any(d => d.Severity is "warning" or "error") ? ExitCodes.RanWithWarnings : ExitCodes.Success;
        });
        return command;
    }
}

