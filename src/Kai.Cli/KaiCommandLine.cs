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
        return root;
    }

    /// <summary>Runs <paramref name="args"/> with the given writers; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
}
