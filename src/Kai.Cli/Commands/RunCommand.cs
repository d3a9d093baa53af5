using System.CommandLine;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Kai.ApiServer.Hosting;
using Kai.Cli.Logging;
using Kai.ApiServer.Webhooks;
using Kai.Cluster;
using Kai.Cluster.Crds;
using Kai.Cluster.Kubernetes;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;
using Kai.Controllers.Configuration;
using Kai.Controllers.Hosting;
using Kai.Controllers.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;
using Microsoft.Extensions.Logging;

namespace Kai.Cli.Commands;

/// <summary>
/// <c>kai run</c>: the scheduler components against a Kubernetes API server (a kubeconfig, the pod's service account,
/// or kai serve's address) until SIGTERM or Ctrl-C, with leader election, health and Prometheus metrics.
/// </summary>
internal static class RunCommand
{
    /// <summary>The component that serves KAI's admission webhooks (on every replica: it needs no leader).</summary>
    internal const string AdmissionComponent = "admission";

    /// <summary>The first line kai run prints once its components run; tools wait for it.</summary>
    public const string ReadyPrefix = "kai run: running ";

    public static Command Create()
    {
        var options = new RunCommandOptions();
        var command = new Command("run", "Run the scheduler components against a Kubernetes API server until SIGTERM or Ctrl-C.");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var problems = new List<string>();
            var settings = options.Read(parse, problems);
            if (settings is null)
            {
                foreach (var problem in problems)
                {
                    await stderr.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            if (parse.GetValue(options.Config) is { } configPath)
            {
                var configuration = SchedulerConfigurationFile.Load(configPath, out var errors);
                if (configuration is null)
                {
                    foreach (var error in errors)
                    {
                        await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
                    }

                    return ExitCodes.CouldNotRun;
                }

                settings = settings with { Configuration = configuration };
            }

            return await RunAsync(settings, parse.InvocationConfiguration.Output, stderr, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires (SIGTERM, Ctrl-C), then stops gracefully.</summary>
    public static async Task<int> RunAsync(RunSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var logging = CommandLogging.Create(stdout, LogLevel.Information, timestamps: true);
        KubernetesCluster cluster;
        try
        {
            cluster = KubernetesCluster.Connect(settings.Connection, KaiKinds.CreateRegistry(), new KubernetesClusterOptions { RandomSeed = Environment.ProcessId }, logging.Factory.CreateLogger("kai.cluster"));
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: cannot connect using {settings.Connection.Describe()}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.CouldNotRun;
        }

        await using (cluster.ConfigureAwait(false))
        {
            var fromCluster = await ReadClusterSettingsOrReportAsync(cluster, settings, stderr, cancellationToken).ConfigureAwait(false);
            if (fromCluster is null)
            {
                return ExitCodes.CouldNotRun;
            }

            var options = HostOptions(settings, fromCluster, logging.Factory);
            ComponentHost? host = null;
            OperationsServer? operations = null;
            AdmissionWebhookServer? webhooks = null;
            try
            {
                // The metrics listen before the components start: a measurement made while no listener is attached to its
                // instrument is dropped, so binds done before the exporter existed would never be counted.
                if (settings.MetricsPort is { } port)
                {
                    operations = await OperationsServer.StartAsync(settings.MetricsAddress, port, () => host?.IsHealthy ?? true, () => host is { IsReady: true } && cluster.IsSynced, logging.Provider, cancellationToken).ConfigureAwait(false);
                }

                host = ComponentHost.Start(cluster, options, logging.Factory.CreateLogger("kai.components"));
                webhooks = await StartWebhooksAsync(cluster, settings, cancellationToken).ConfigureAwait(false);
                await WriteReadyLinesAsync(stdout, settings, webhooks, operations).ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                await WaitForStopAsync(stdout, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await stderr.WriteLineAsync($"error: cannot listen on {settings.MetricsAddress}:{settings.MetricsPort}: {e.Message.TrimEnd('.')}; choose another --metrics-port (0 picks a free one).").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }
            finally
            {
                await StopAsync(host, webhooks, operations).ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>KAI's admission webhooks over HTTPS when asked for (<c>--components admission</c>), else null.</summary>
    /// <summary>Stops what was started, the components first (the metrics stay up while they stop).</summary>
    private static async Task StopAsync(ComponentHost? host, AdmissionWebhookServer? webhooks, OperationsServer? operations)
    {
        if (host is not null)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        if (webhooks is not null)
        {
            await webhooks.DisposeAsync().ConfigureAwait(false);
        }

        if (operations is not null)
        {
            await operations.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<AdmissionWebhookServer?> StartWebhooksAsync(KubernetesCluster cluster, RunSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Webhooks is not { } webhookOptions)
        {
            return null;
        }

        // Queue reviews read every stored queue: from the watch's cache, not with a list call per request.
        (await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<Queue>()), cancellationToken).ConfigureAwait(false)).Dispose();
        var reviewer = new AdmissionReviewHandler(new KaiAdmission(settings.Admission), async c => (await cluster.ListAsync<Queue>(c).ConfigureAwait(false)).Items);
        return await AdmissionWebhookServer.StartAsync(reviewer, webhookOptions, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WaitForStopAsync(TextWriter stdout, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stdout.WriteLineAsync("kai run: stopping (the cycle in flight completes, leases are released).").ConfigureAwait(false);
        }
    }

    /// <summary>The cluster's SchedulingShard and Config as settings; null (after saying why on stderr) when they cannot be read or are invalid.</summary>
    private static async Task<ClusterSettings?> ReadClusterSettingsOrReportAsync(KubernetesCluster cluster, RunSettings settings, TextWriter stderr, CancellationToken cancellationToken)
    {
        ClusterSettings fromCluster;
        try
        {
            fromCluster = await ReadClusterSettingsAsync(cluster, settings, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or HttpOperationException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"error: cannot reach the API server ({settings.Connection.Describe()}): {e.Message}").ConfigureAwait(false);
            return null;
        }

        foreach (var warning in fromCluster.Warnings)
        {
            await stderr.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        foreach (var error in fromCluster.Errors)
        {
            await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
        }

        return fromCluster.Errors.Count > 0 ? null : fromCluster;
    }

    private static ComponentHostOptions HostOptions(RunSettings settings, ClusterSettings fromCluster, ILoggerFactory loggerFactory) => new()
    {
        Components = settings.Components,
        Configuration = settings.Configuration ?? fromCluster.Configuration,
        SchedulePeriod = settings.SchedulePeriod,
        Eviction = settings.Eviction,
        LeaderElection = settings.LeaderElection,
        SchedulerName = fromCluster.SchedulerName,
        Partition = fromCluster.Partition,
        ScaleAdjuster = settings.ScaleAdjuster,
        Telemetry = new SchedulerTelemetry { LoggerFactory = loggerFactory },
    };

    private static async Task WriteReadyLinesAsync(TextWriter stdout, RunSettings settings, AdmissionWebhookServer? webhooks, OperationsServer? operations)
    {
        var election = settings.LeaderElection is { } e ? $", leader election in {e.Namespace} as {e.Identity}" : string.Empty;
        await stdout.WriteLineAsync($"{ReadyPrefix}{string.Join(", ", settings.Components.Select(Components.NameOf).Concat(webhooks is null ? [] : [AdmissionComponent]))} against {settings.Connection.Describe()}{election}").ConfigureAwait(false);
        if (webhooks is not null)
        {
            await stdout.WriteLineAsync($"  admission webhooks: {webhooks.Address} (mutate--v1-pod, validate--v1-pod, validate-scheduling-run-ai-v2-queue, validate-scheduling-run-ai-v2alpha2-podgroup)").ConfigureAwait(false);
        }

        if (operations is not null)
        {
            await stdout.WriteLineAsync($"  health and metrics: {operations.Address}healthz, /readyz, /metrics").ConfigureAwait(false);
        }
    }

    /// <summary>The scheduler's configuration and name from KAI's SchedulingShard and Config objects, where present.</summary>
    private static async Task<ClusterSettings> ReadClusterSettingsAsync(KubernetesCluster cluster, RunSettings settings, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var errors = new List<string>();
        var configuration = SchedulerConfiguration.Default;
        string? partition = null;
        if (settings.Configuration is null && await GetAsync(cluster, "schedulingshards", settings.Shard, cancellationToken).ConfigureAwait(false) is { } shard
            && shard.TryGetProperty("spec", out var spec))
        {
            configuration = SchedulingShardConfiguration.Map(settings.Shard, spec, configuration, out partition, out var shardWarnings);
            warnings.AddRange(shardWarnings);

            // Plugin arguments from the shard are checked as a --config file's are: a wrong one stops the start.
            var plugins = KaiPlugins.Registry.Configure(configuration);
            errors.AddRange(plugins.Errors.Select(e => $"SchedulingShard {settings.Shard}: {e}"));
            warnings.AddRange(plugins.Warnings.Select(w => $"SchedulingShard {settings.Shard}: {w}"));
            errors.AddRange(configuration.Validate().Select(e => $"SchedulingShard {settings.Shard}: {e}"));
        }

        var name = settings.SchedulerName;
        if (name is null && await GetAsync(cluster, "configs", "kai-config", cancellationToken).ConfigureAwait(false) is { } kaiConfig
            && kaiConfig.TryGetProperty("spec", out var configSpec) && configSpec.TryGetProperty("global", out var global)
            && global.TryGetProperty("schedulerName", out var schedulerName) && schedulerName.ValueKind == JsonValueKind.String)
        {
            name = schedulerName.GetString();
        }

        return new ClusterSettings(configuration, name ?? Kai.Controllers.Conventions.KaiConventions.SchedulerName, partition, warnings, errors);
    }

    // KAI's operator objects (kai.scheduler/v1, cluster-scoped); null when absent or their CRD is not installed.
    private static async Task<JsonElement?> GetAsync(KubernetesCluster cluster, string plural, string name, CancellationToken cancellationToken)
    {
        try
        {
            var found = await cluster.Client.CustomObjects.GetClusterCustomObjectAsync("kai.scheduler", "v1", plural, name, cancellationToken).ConfigureAwait(false);
            return found is JsonElement element ? element : null;
        }
        catch (HttpOperationException e) when ((int)e.Response.StatusCode == 404)
        {
            return null;
        }
    }

    private sealed record ClusterSettings(SchedulerConfiguration Configuration, string SchedulerName, string? Partition, List<string> Warnings, List<string> Errors);
}
