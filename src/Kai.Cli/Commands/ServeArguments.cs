using System.CommandLine;
using Kai.Cli.Logging;
using Kai.Simulation.Bootstrap;

namespace Kai.Cli.Commands;

/// <summary>The arguments and options of <c>kai serve</c>, with the checks the parser can make on its own.</summary>
internal sealed class ServeArguments
{
    public Argument<string[]> Paths { get; } = new("paths")
    {
        Description = "YAML files or directories of Kubernetes manifests to load before serving (optional).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<int> Port { get; } = new("--port")
    {
        Description = "TCP port on 127.0.0.1 (0 picks a free port and prints it).",
        DefaultValueFactory = _ => ServeCommand.DefaultPort,
    };

    public Option<int?> Http2Port { get; } = new("--http2-port")
    {
        Description = "Also listen on this TCP port of 127.0.0.1 for HTTP/2 in clear text with prior knowledge (kai run --http2-prior-knowledge; kubectl stays on --port); 0 picks a free port and prints it.",
    };

    public Option<bool> NoScheduler { get; } = new("--no-scheduler") { Description = "Serve the API only: no pod-grouper, scheduler, binder or simulated kubelet." };

    public Option<string?> KubeconfigOut { get; } = new("--kubeconfig-out") { Description = "Write a kubeconfig for the server to this file (use it with KUBECONFIG=FILE or --kubeconfig FILE)." };

    public Option<string?> Config { get; } = new("--config") { Description = "Scheduler configuration file (YAML, see docs/configuration.md)." };

    public Option<string> Period { get; } = new("--schedule-period") { Description = "Time between scheduling cycles (e.g. 1s, 500ms).", DefaultValueFactory = _ => "1s" };

    public Option<string?> NodePool { get; } = new("--node-pool")
    {
        Description = $"Nodes to create when the manifests have none, e.g. count=4,gpu=8,cpu=64,memory=512Gi (default: {NodePoolSpec.Default}).",
    };

    public Option<string> LogLevel { get; } = LogLevelOption.Create("warning", "information shows every cycle");

    public ServeArguments()
    {
        Port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError("--port must be between 0 and 65535.");
            }
        });
        Http2Port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0 or > 65535)
            {
                r.AddError("--http2-port must be between 0 and 65535.");
            }
        });
        Paths.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.StartsWith('-') && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    r.AddError($"Unrecognized option '{token.Value}'. Options are --port, --http2-port, --no-scheduler, --kubeconfig-out, --config, --schedule-period, --node-pool, --log-level; see kai serve --help.");
                }
            }
        });
    }

    /// <summary>Adds every argument and option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Paths);
        foreach (var option in new Option[] { Port, Http2Port, NoScheduler, KubeconfigOut, Config, Period, NodePool, LogLevel })
        {
            command.Options.Add(option);
        }
    }
}
