using Kai.Simulation.Reports;

namespace Kai.Cli.Tests;

/// <summary>Runs the <c>kai</c> command line in-process, exactly as a user would, and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await KaiCommandLine.RunAsync(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The report of a <c>simulate ... -o json</c> run.</summary>
    public SimulationReport Report => ReportJson.Deserialize(Output) ?? throw new InvalidOperationException($"no report in output: {Output}\n{Error}");
}
