using System.CommandLine;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Bootstrap;

namespace Kai.Cli.Commands;

/// <summary>The arguments and options of <c>kai simulate</c>, with the checks the parser can make on its own.</summary>
internal sealed class SimulateArguments
{
    /// <summary>More cycles than this is never a scenario; the bound keeps a mistyped number from running for hours.</summary>
    public const int MaxCycles = 100_000;

    public Argument<string[]> Paths { get; } = new("paths")
    {
        Description = "YAML files or directories of Kubernetes manifests (nodes, queues, pod groups, pods, priority classes).",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<int> Cycles { get; } = NumberOptions.WholeNumber("--cycles", $"Scheduling cycles to run (1 to {MaxCycles}).", 1, 1, MaxCycles);

    public Option<string?> Actions { get; } = new("--actions")
    {
        Description = $"Comma-separated actions to run, in order (default: from the configuration; all: {ActionNames.All}).",
    };

    public Option<string?> Config { get; } = new("--config") { Description = "Scheduler configuration file (YAML, see docs/configuration.md)." };

    public Option<string?> Now { get; } = new("--now")
    {
        Description = "Simulated time of the first cycle (RFC 3339, e.g. 2026-01-01T00:00:00Z); default: the wall clock.",
    };

    public Option<string> Interval { get; } = new("--interval") { Description = "Simulated time between cycles (e.g. 30s, 5m).", DefaultValueFactory = _ => "30s" };

    public Option<string?> NodePool { get; } = new("--node-pool")
    {
        Description = $"Nodes to create when the input has none, e.g. count=4,gpu=8,cpu=64,memory=512Gi (default: {NodePoolSpec.Default}).",
    };

    public Option<string> Output { get; } = OutputOption.Create();

    public Option<bool> NoResubmit { get; } = new("--no-resubmit")
    {
        Description = "Evicted pods of workloads stay gone instead of being created again as their controllers would.",
    };

    /// <summary>Quiet by default: the report already lists every warning (input, mapping, configuration).</summary>
    public Option<string> LogLevel { get; } = Logging.LogLevelOption.Create("error", "the report lists every warning already");

    public SimulateArguments()
    {
        Paths.Validators.Add(r =>
        {
            // An option the parser did not recognise would otherwise be taken for a file name.
            foreach (var token in r.Tokens)
            {
                if (token.Value.StartsWith('-') && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    var known = new[] { Cycles.Name, Actions.Name, Config.Name, Now.Name, Interval.Name, NodePool.Name, Output.Name, NoResubmit.Name, LogLevel.Name };
                    var suggestion = Kai.Cluster.Manifests.NameSuggestions.Closest(token.Value, known) is { } s ? $" Did you mean {s}?" : string.Empty;
                    r.AddError($"Unrecognized option '{token.Value}'.{suggestion} Options are {string.Join(", ", known)}; see kai simulate --help.");
                }
            }
        });
    }

    /// <summary>Adds every argument and option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Paths);
        foreach (var option in new Option[] { Cycles, Actions, Config, Now, Interval, NodePool, Output, NoResubmit, LogLevel })
        {
            command.Options.Add(option);
        }
    }
}
