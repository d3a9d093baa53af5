using System.CommandLine;
using Kai.Cli.Logging;
using Kai.Cluster.Manifests;
using Kai.Controllers.Conventions;
using Kai.Controllers.Scheduling;
using Kai.Simulation;
using Kai.Simulation.Reports;

namespace Kai.Cli.Commands;

/// <summary><c>kai simulate</c>: run scheduling cycles on the embedded cluster and report the result.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var arguments = new SimulateArguments();
        var command = new Command("simulate", "Schedule the given manifests on the embedded cluster for N cycles and report pods, pod groups, queues and decisions.");
        arguments.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, arguments, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, SimulateArguments arguments, CancellationToken cancellationToken)
    {
        var output = new SimulateOutput(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.IsJson(arguments.Output));
        var (settings, exitCode, errors) = SimulateSettings.Read(parse, arguments);
        if (settings is null)
        {
            // A configuration that cannot be used stops the run (1) and still answers JSON with a report; a wrong command line (2) does not.
            var failed = exitCode == ExitCodes.CouldNotRun ? SimulationReport.NotRun(errors.Select(e => new DiagnosticReport("error", null, null, e.StartsWith("error: ", StringComparison.Ordinal) ? e[7..] : e)).ToList()) : null;
            await output.WriteErrorsAsync(errors, failed).ConfigureAwait(false);
            return exitCode;
        }

        if (settings.Json)
        {
            // The table report prints every diagnostic on stderr; the JSON one carries them in its diagnostics.
            foreach (var warning in settings.Options.ConfigurationWarnings)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
        }

        // Admission as a fresh KAI install would judge it: KAI's PriorityClasses exist already.
        var manifests = ManifestAdmission.Admit(ManifestLoader.LoadPaths(settings.Paths), KaiConventions.PriorityClasses.Select(c => c.Name));
        if (manifests.Objects.Count == 0)
        {
            return await output.WriteNothingToRunAsync(manifests, settings.Options.Start).ConfigureAwait(false);
        }

        using var logging = CommandLogging.Create(parse.InvocationConfiguration.Error, LogLevelOption.Parse(parse.GetValue(arguments.LogLevel)!));
        var options = settings.Options with { Telemetry = new SchedulerTelemetry { LoggerFactory = logging.Factory } };
        var result = await SimulationRunner.RunAsync(manifests, options, cancellationToken).ConfigureAwait(false);
        var report = WithCommandLineNotes(result.Report, settings, manifests);
        await output.WriteReportAsync(report).ConfigureAwait(false);
        return report.Diagnostics.Any(d => d.Severity is "warning" or "error") ? ExitCodes.RanWithWarnings : ExitCodes.Success;
    }

    // Notes about options that had no effect, which only the command line knows about.
    private static SimulationReport WithCommandLineNotes(SimulationReport report, SimulateSettings settings, ManifestSet manifests)
    {
        if (!settings.NodePoolGiven || !manifests.DeclaresNodes)
        {
            return report;
        }

        var note = new DiagnosticReport("info", null, null, "--node-pool was ignored: the input has Node objects, and a node pool is created only for input without any.");
        return report with { Diagnostics = [.. report.Diagnostics, note] };
    }
}
