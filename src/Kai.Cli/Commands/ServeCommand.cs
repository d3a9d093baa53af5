using System.CommandLine;
using Kai.ApiServer;
using Kai.ApiServer.Hosting;
using Kai.Cli.Logging;
using Kai.Cli.Rendering;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;
using Kai.Controllers.Configuration;
using Kai.Scheduling.Configuration;
using Kai.Simulation.Bootstrap;

namespace Kai.Cli.Commands;

/// <summary>
/// <c>kai serve</c>: the embedded cluster as a Kubernetes API on 127.0.0.1, optionally pre-loaded with manifests,
/// with the scheduler components running in-process until Ctrl-C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    /// <summary>kubectl's built-in default server is http://localhost:8080, so plain kubectl finds kai serve there.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The first line kai serve prints once it accepts requests; tools wait for it.</summary>
    public const string ReadyPrefix = "kai serve: Kubernetes API listening on ";

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "YAML files or directories of Kubernetes manifests to load before serving (optional).", Arity = ArgumentArity.ZeroOrMore };
        var port = new Option<int>("--port") { Description = $"TCP port on 127.0.0.1 (0 picks a free port and prints it).", DefaultValueFactory = _ => DefaultPort };
        var noScheduler = new Option<bool>("--no-scheduler") { Description = "Serve the API only: no pod-grouper, scheduler, binder or simulated kubelet." };
        var kubeconfigOut = new Option<string?>("--kubeconfig-out") { Description = "Write a kubeconfig for the server to this file (use it with KUBECONFIG=FILE or --kubeconfig FILE)." };
        var config = new Option<string?>("--config") { Description = "Scheduler configuration file (YAML, see docs/configuration.md)." };
        var period = new Option<string>("--schedule-period") { Description = "Time between scheduling cycles (e.g. 1s, 500ms).", DefaultValueFactory = _ => "1s" };
        var nodePool = new Option<string?>("--node-pool") { Description = $"Nodes to create when the manifests have none, e.g. count=4,gpu=8,cpu=64,memory=512Gi (default: {NodePoolSpec.Default})." };
        var logLevel = LogLevelOption.Create("warning", "information shows every cycle");
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError("--port must be between 0 and 65535.");
            }
        });
        paths.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (token.Value.StartsWith('-') && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    r.AddError($"Unrecognized option '{token.Value}'. Options are --port, --no-scheduler, --kubeconfig-out, --config, --schedule-period, --node-pool, --log-level; see kai serve --help.");
                }
            }
        });

        var command = new Command("serve", "Serve the embedded cluster as a Kubernetes API on 127.0.0.1 (for kubectl and Kubernetes clients), with the KAI scheduler running in-process.")
        {
            paths, port, noScheduler, kubeconfigOut, config, period, nodePool, logLevel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var configuration = SchedulerConfiguration.Default;
            if (parse.GetValue(config) is { } configPath)
            {
                var loaded = SchedulerConfigurationFile.Load(configPath, out var errors);
                if (loaded is null)
                {
                    foreach (var error in errors)
                    {
                        await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
                    }

                    return ExitCodes.CouldNotRun;
                }

                configuration = loaded;
            }

            var periodText = parse.GetValue(period)!;
            if (!GoDuration.TryParse(periodText, out var step, out _) || step.Nanoseconds <= 0)
            {
                await stderr.WriteLineAsync($"error: --schedule-period '{periodText}' is not a positive duration; write e.g. 1s or 500ms.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var pool = NodePoolSpec.Default;
            if (parse.GetValue(nodePool) is { } poolText && !NodePoolSpec.TryParse(poolText, out pool, out var poolError))
            {
                await stderr.WriteLineAsync($"error: --node-pool: {poolError}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var inputs = parse.GetValue(paths) ?? [];
            var manifests = ManifestLoader.LoadPaths(inputs);
            foreach (var diagnostic in manifests.Diagnostics)
            {
                await stderr.WriteLineAsync(DiagnosticText.Of(diagnostic)).ConfigureAwait(false);
            }

            if (inputs.Length > 0 && manifests.Objects.Count == 0)
            {
                await stderr.WriteLineAsync("error: no usable objects were loaded from the given paths; nothing was served (run kai serve without paths for an empty cluster).").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }

            var options = new ServeOptions
            {
                Api = new ApiServerOptions { Port = parse.GetValue(port) },
                RunScheduler = !parse.GetValue(noScheduler),
                Configuration = configuration,
                SchedulePeriod = step.ToTimeSpan(),
                NodePool = pool,
            };
            using var logging = StderrLogging.Create(stderr, LogLevelOption.Parse(parse.GetValue(logLevel)!));
            KaiServer server;
            try
            {
                server = await KaiServer.StartAsync(manifests, options, logging.Provider, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e)
            {
                await stderr.WriteLineAsync($"error: the manifests cannot be loaded together: {e.Message}").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }
            catch (IOException e)
            {
                await stderr.WriteLineAsync($"error: cannot listen on 127.0.0.1:{options.Api.Port}: {e.Message.TrimEnd('.')}; choose another --port (0 picks a free one).").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }

            await using (server.ConfigureAwait(false))
            {
                var address = server.Address.ToString().TrimEnd('/');
                await stdout.WriteLineAsync(ReadyPrefix + address).ConfigureAwait(false);
                var loaded = $"{server.SeededObjects} objects loaded" + (server.UsedDefaultNodePool ? $" (with a default pool of {pool.Count} nodes)" : string.Empty);
                var scheduling = options.RunScheduler ? $"the scheduler runs every {periodText}" : "no scheduler (--no-scheduler)";
                await stdout.WriteLineAsync($"  {loaded}; {scheduling}.").ConfigureAwait(false);
                if (parse.GetValue(kubeconfigOut) is { } kubeconfigPath)
                {
                    await File.WriteAllTextAsync(kubeconfigPath, Kubeconfig.For(server.Address), cancellationToken).ConfigureAwait(false);
                    await stdout.WriteLineAsync($"  kubeconfig written to {kubeconfigPath}: export KUBECONFIG={kubeconfigPath}").ConfigureAwait(false);
                }

                await stdout.WriteLineAsync($"  try: kubectl --server {address} get pods -A -o wide").ConfigureAwait(false);
                await stdout.WriteLineAsync("  Ctrl-C stops the server.").ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await stdout.WriteLineAsync("kai serve: stopping.").ConfigureAwait(false);
                }
            }

            return manifests.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? ExitCodes.RanWithWarnings : ExitCodes.Success;
        });
        return command;
    }
}
