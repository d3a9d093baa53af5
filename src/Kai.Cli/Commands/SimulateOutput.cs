using Kai.Cli.Rendering;
using Kai.Cluster.Manifests;
using Kai.Simulation.Reports;

namespace Kai.Cli.Commands;

/// <summary>
/// Where <c>kai simulate</c> writes: the report (table or JSON) on standard output, problems on standard error. With
/// JSON, a run that could not start still prints a report, empty but for its diagnostics, so a caller always gets JSON.
/// </summary>
internal sealed class SimulateOutput(TextWriter stdout, TextWriter stderr, bool json)
{
    public async Task WriteReportAsync(SimulationReport report)
    {
        if (json)
        {
            await stdout.WriteLineAsync(ReportJson.Serialize(report)).ConfigureAwait(false);
            return;
        }

        ReportTable.Write(report, stdout, ReportTable.TerminalWidth());
        foreach (var diagnostic in report.Diagnostics)
        {
            await stderr.WriteLineAsync(DiagnosticText.Of(diagnostic)).ConfigureAwait(false);
        }
    }

    /// <summary>Writes command-line or configuration errors; <paramref name="failed"/>, when given, is the JSON answer.</summary>
    public async Task WriteErrorsAsync(IReadOnlyList<string> errors, SimulationReport? failed)
    {
        foreach (var error in errors)
        {
            await stderr.WriteLineAsync(error).ConfigureAwait(false);
        }

        if (json && failed is not null)
        {
            await stdout.WriteLineAsync(ReportJson.Serialize(failed)).ConfigureAwait(false);
        }
    }

    /// <summary>Reports input from which nothing could be loaded; returns the exit code (1).</summary>
    public async Task<int> WriteNothingToRunAsync(ManifestSet manifests, DateTimeOffset start)
    {
        const string Message = "no usable objects were loaded; nothing to simulate.";
        foreach (var diagnostic in manifests.Diagnostics)
        {
            await stderr.WriteLineAsync(DiagnosticText.Of(diagnostic)).ConfigureAwait(false);
        }

        await stderr.WriteLineAsync($"error: {Message}").ConfigureAwait(false);
        if (json)
        {
            var diagnostics = manifests.Diagnostics.Select(DiagnosticReports.Of).Append(new DiagnosticReport("error", null, null, Message)).ToList();
            await stdout.WriteLineAsync(ReportJson.Serialize(SimulationReport.NotRun(diagnostics, start))).ConfigureAwait(false);
        }

        return ExitCodes.CouldNotRun;
    }
}
