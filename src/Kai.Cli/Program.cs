using System.CommandLine;
using Kai.Cli.Commands;

var root = new RootCommand("kai: the KAI scheduler for Kubernetes GPU clusters, on an embedded cluster or a real one.");
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
