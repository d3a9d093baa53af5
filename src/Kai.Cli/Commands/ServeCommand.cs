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
        var arguments = new ServeArguments();
        var command = new Command("serve", "Serve the embedded cluster as a Kubernetes API on 127.0.0.1 (for kubectl and Kubernetes clients), with the KAI scheduler running in-process.");
        arguments.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, arguments, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ServeArguments arguments, CancellationToken cancellationToken)
    {
        var stderr = parse.InvocationConfiguration.Error;
        var (options, exitCode) = await ReadOptionsAsync(parse, arguments, stderr).ConfigureAwait(false);
        if (options is null)
        {
            return exitCode;
        }

        var inputs = parse.GetValue(arguments.Paths) ?? [];
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

        using var logging = CommandLogging.Create(stderr, LogLevelOption.Parse(parse.GetValue(arguments.LogLevel)!));
        var server = await StartAsync(manifests, options, logging, stderr, cancellationToken).ConfigureAwait(false);
        if (server is null)
        {
            return ExitCodes.CouldNotRun;
        }

        await using (server.ConfigureAwait(false))
        {
            await ServeUntilStoppedAsync(parse, arguments, server, options, cancellationToken).ConfigureAwait(false);
        }

        return manifests.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? ExitCodes.RanWithWarnings : ExitCodes.Success;
    }

    /// <summary>The server's options from the command line; null with the exit code when something is wrong (said on stderr).</summary>
    private static async Task<(ServeOptions? Options, int ExitCode)> ReadOptionsAsync(ParseResult parse, ServeArguments arguments, TextWriter stderr)
    {
        var configuration = SchedulerConfiguration.Default;
        if (parse.GetValue(arguments.Config) is { } configPath)
        {
            var loaded = SchedulerConfigurationFile.Load(configPath, out var errors);
            if (loaded is null)
            {
                foreach (var error in errors)
                {
                    await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
                }

                return (null, ExitCodes.CouldNotRun);
            }

            configuration = loaded;
        }

        var periodText = parse.GetValue(arguments.Period)!;
        if (!GoDuration.TryParse(periodText, out var step, out _) || step.Nanoseconds <= 0)
        {
            await stderr.WriteLineAsync($"error: --schedule-period '{periodText}' is not a positive duration; write e.g. 1s or 500ms.").ConfigureAwait(false);
            return (null, ExitCodes.Usage);
        }

        var pool = NodePoolSpec.Default;
        if (parse.GetValue(arguments.NodePool) is { } poolText && !NodePoolSpec.TryParse(poolText, out pool, out var poolError))
        {
            await stderr.WriteLineAsync($"error: --node-pool: {poolError}").ConfigureAwait(false);
            return (null, ExitCodes.Usage);
        }

        var options = new ServeOptions
        {
            Api = new ApiServerOptions { Port = parse.GetValue(arguments.Port), Http2Port = parse.GetValue(arguments.Http2Port) },
            RunScheduler = !parse.GetValue(arguments.NoScheduler),
            Configuration = configuration,
            SchedulePeriod = step.ToTimeSpan(),
            NodePool = pool,
        };
        return (options, ExitCodes.Success);
    }

    /// <summary>Starts the server; null when it cannot start (said on stderr).</summary>
    private static async Task<KaiServer?> StartAsync(ManifestSet manifests, ServeOptions options, CommandLogging logging, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            return await KaiServer.StartAsync(manifests, options, logging.Provider, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            await stderr.WriteLineAsync($"error: the manifests cannot be loaded together: {e.Message}").ConfigureAwait(false);
            return null;
        }
        catch (IOException e)
        {
            var ports = options.Api.Http2Port is { } http2 ? $"{options.Api.Port} (--port) or {http2} (--http2-port)" : $"{options.Api.Port}";
            await stderr.WriteLineAsync($"error: cannot listen on 127.0.0.1 port {ports}: {e.Message.TrimEnd('.')}; choose another --port or --http2-port (0 picks a free one).").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Says where the server listens (the ready line first, for tools), then serves until cancelled.</summary>
    private static async Task ServeUntilStoppedAsync(ParseResult parse, ServeArguments arguments, KaiServer server, ServeOptions options, CancellationToken cancellationToken)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var address = server.Address.ToString().TrimEnd('/');

        // The kubeconfig is complete before the ready line: a client that acts on that line must find it.
        var kubeconfigPath = parse.GetValue(arguments.KubeconfigOut);
        if (kubeconfigPath is not null)
        {
            await File.WriteAllTextAsync(kubeconfigPath, Kubeconfig.For(server.Address), cancellationToken).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(ReadyPrefix + address).ConfigureAwait(false);
        var loaded = $"{server.SeededObjects} objects loaded" + (server.UsedDefaultNodePool ? $" (with a default pool of {options.NodePool.Count} nodes)" : string.Empty);
        var scheduling = options.RunScheduler ? $"the scheduler runs every {parse.GetValue(arguments.Period)}" : "no scheduler (--no-scheduler)";
        await stdout.WriteLineAsync($"  {loaded}; {scheduling}.").ConfigureAwait(false);
        if (kubeconfigPath is not null)
        {
            await stdout.WriteLineAsync($"  kubeconfig written to {kubeconfigPath}: export KUBECONFIG={kubeconfigPath}").ConfigureAwait(false);
        }

        if (server.Api.Http2Address is { } http2)
        {
            await stdout.WriteLineAsync($"  HTTP/2 with prior knowledge on {http2.ToString().TrimEnd('/')}: kai run --server {http2.ToString().TrimEnd('/')} --http2-prior-knowledge").ConfigureAwait(false);
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
}
