using System.CommandLine;
using Kai.Cli.Commands;

namespace Kai.Cli;

/// <summary>The <c>kai</c> command line. Commands write to the invocation's output and error writers, so tests run them in-process.</summary>
public static class KaiCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("kai: the KAI scheduler for Kubernetes GPU clusters, on an embedded cluster or a real one.");
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(PauseCommand.Create());
        return root;
    }

    /// <summary>Runs <paramref name="args"/> with the given writers; returns the exit code (2 for a wrong command line).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = Create().Parse(args);
        var isHelp = args.Any(a => a is "--help" or "-h" or "-?" or "--version");
        if (parse.Errors.Count > 0 && !isHelp)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'kai --help' or 'kai <command> --help' for the commands and their options.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
