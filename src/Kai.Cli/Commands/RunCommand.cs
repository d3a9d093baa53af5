using System.CommandLine;
using System.Globalization;
using System.Net;
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
using Kai.Controllers.Conventions;
using Kai.Controllers.Hosting;
using Kai.Controllers.ScaleAdjust;
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
    private const string AdmissionComponent = "admission";

    /// <summary>The first line kai run prints once its components run; tools wait for it.</summary>
    public const string ReadyPrefix = "kai run: running ";

    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (its current context). Default: the pod's service account in a cluster, else $KUBECONFIG or ~/.kube/config." };
        var server = new Option<string?>("--server") { Description = "API server address without credentials, e.g. kai serve's http://127.0.0.1:8080." };
        var components = new Option<string>("--components") { Description = "Comma-separated components: scheduler, binder, podgrouper, podgroupcontroller, queuecontroller, admission, nodescaleadjuster.", DefaultValueFactory = _ => "scheduler,binder,podgrouper" };
        var scaleNamespace = new Option<string>("--scale-adjust-namespace") { Description = "Namespace of the node-scale-adjuster's scaling pods (component nodescaleadjuster).", DefaultValueFactory = _ => "kai-scale-adjust" };
        var scalingPodImage = new Option<string>("--scaling-pod-image") { Description = "Image of the scaling pods; it is started with the argument pause (kai's own image does that).", DefaultValueFactory = _ => new NodeScaleAdjusterOptions().ScalingPodImage };
        var memoryRatio = new Option<double>("--gpu-memory-to-fraction-ratio") { Description = "The share of a GPU a gpu-memory pod counts as when the node-scale-adjuster sums what pods need.", DefaultValueFactory = _ => 0.1 };
        var webhookPort = new Option<int>("--webhook-port") { Description = "HTTPS port of the admission webhooks (component admission; 0 picks a free one).", DefaultValueFactory = _ => 9443 };
        var webhookCertDir = new Option<string?>("--webhook-cert-dir") { Description = "Directory with tls.crt and tls.key for the admission webhooks (the kai-admission-webhook-tls-secret); default: a self-signed certificate." };
        var gpuSharing = new Option<bool>("--gpu-sharing") { Description = "Admission allows GPU-sharing pods (gpu-fraction, gpu-memory); KAI's global.gpuSharing.", DefaultValueFactory = _ => true };
        var runtimeClass = new Option<string>("--gpu-pod-runtime-class-name") { Description = "runtimeClassName the admission gives GPU pods without one; empty turns it off.", DefaultValueFactory = _ => "nvidia" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Run each component only while this replica holds its Lease (KAI's lease names), for several replicas." };
        var leaseNamespace = new Option<string>("--lease-namespace") { Description = "Namespace of the leader-election Leases.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "kai-scheduler" };
        var identity = new Option<string?>("--identity") { Description = "This replica's name in the Leases (default: host name and process id)." };
        var config = new Option<string?>("--config") { Description = "Scheduler configuration file (YAML, docs/configuration.md). Default: the cluster's SchedulingShard, else KAI's defaults." };
        var shard = new Option<string>("--shard") { Description = "The SchedulingShard to read the configuration from when --config is not given.", DefaultValueFactory = _ => "default" };
        var schedulerName = new Option<string?>("--scheduler-name") { Description = "The scheduler's name (names its Lease). Default: kai-config's spec.global.schedulerName, else kai-scheduler." };
        var period = new Option<string>("--schedule-period") { Description = "Time between scheduling cycles.", DefaultValueFactory = _ => "1s" };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Port of /healthz, /readyz and /metrics (0 picks a free one, -1 serves none).", DefaultValueFactory = _ => 8080 };
        var eviction = new Option<string>("--eviction") { Description = "How the scheduler removes the pods it evicts: delete (KAI's way) or api (the Eviction API, which PodDisruptionBudgets may refuse for now).", DefaultValueFactory = _ => "delete" };
        var metricsAddress = new Option<string>("--metrics-address") { Description = "Address /metrics listens on (0.0.0.0 in a pod, 127.0.0.1 on a workstation).", DefaultValueFactory = _ => "0.0.0.0" };

        var command = new Command("run", "Run the scheduler components against a Kubernetes API server until SIGTERM or Ctrl-C.")
        {
            kubeconfig, server, components, leaderElect, leaseNamespace, identity, config, shard, schedulerName, period, eviction, metricsPort, metricsAddress,
            webhookPort, webhookCertDir, gpuSharing, runtimeClass, scaleNamespace, scalingPodImage, memoryRatio,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var problems = new List<string>();
            var connection = Connection(parse.GetValue(kubeconfig), parse.GetValue(server), problems);
            var chosen = new List<Component>();
            var serveWebhooks = false;
            foreach (var name in parse.GetValue(components)!.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (string.Equals(name.Trim(), AdmissionComponent, StringComparison.OrdinalIgnoreCase))
                {
                    serveWebhooks = true;
                }
                else if (Components.TryParse(name, out var component))
                {
                    chosen.Add(component);
                }
                else
                {
                    problems.Add($"--components: '{name.Trim()}' is not a component; choose from scheduler, binder, podgrouper, podgroupcontroller, queuecontroller, admission, nodescaleadjuster.");
                }
            }

            var periodText = parse.GetValue(period)!;
            if (!GoDuration.TryParse(periodText, out var step, out _) || step.Nanoseconds <= 0)
            {
                problems.Add($"--schedule-period '{periodText}' is not a positive duration; write e.g. 1s or 500ms.");
            }

            EvictionMode? evictionMode = parse.GetValue(eviction) switch
            {
                "delete" => EvictionMode.Delete,
                "api" => EvictionMode.EvictionApi,
                _ => null,
            };
            if (evictionMode is null)
            {
                problems.Add($"--eviction '{parse.GetValue(eviction)}' is not delete or api.");
            }

            var port = parse.GetValue(metricsPort);
            if (port is < -1 or > 65535)
            {
                problems.Add("--metrics-port must be between 0 and 65535, or -1 for none.");
            }

            if (parse.GetValue(memoryRatio) is not (> 0 and <= 1))
            {
                problems.Add("--gpu-memory-to-fraction-ratio must be above 0 and at most 1.");
            }

            if (!IPAddress.TryParse(parse.GetValue(metricsAddress), out var address))
            {
                problems.Add($"--metrics-address '{parse.GetValue(metricsAddress)}' is not an IP address.");
            }

            if (problems.Count > 0 || connection is null)
            {
                foreach (var problem in problems)
                {
                    await stderr.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            SchedulerConfiguration? configuration = null;
            if (parse.GetValue(config) is { } configPath)
            {
                configuration = SchedulerConfigurationFile.Load(configPath, out var errors);
                if (configuration is null)
                {
                    foreach (var error in errors)
                    {
                        await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
                    }

                    return ExitCodes.CouldNotRun;
                }
            }

            var settings = new RunSettings
            {
                Connection = connection,
                Components = chosen.Distinct().ToList(),
                LeaderElection = parse.GetValue(leaderElect)
                    ? new LeaderElectionOptions
                    {
                        Namespace = parse.GetValue(leaseNamespace)!,
                        Identity = parse.GetValue(identity) ?? $"{Environment.MachineName}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}",
                    }
                    : null,
                Configuration = configuration,
                Shard = parse.GetValue(shard)!,
                SchedulerName = parse.GetValue(schedulerName),
                SchedulePeriod = step.ToTimeSpan(),
                Eviction = evictionMode ?? EvictionMode.Delete,
                MetricsAddress = address!,
                MetricsPort = port < 0 ? null : port,
                Webhooks = serveWebhooks ? WebhookOptions(parse.GetValue(webhookPort), parse.GetValue(webhookCertDir), address!) : null,
                ScaleAdjuster = new NodeScaleAdjusterOptions
                {
                    Namespace = parse.GetValue(scaleNamespace)!,
                    ScalingPodImage = parse.GetValue(scalingPodImage)!,
                    GpuMemoryToFractionRatio = parse.GetValue(memoryRatio),
                },
                Admission = new KaiAdmissionOptions
                {
                    SchedulerName = parse.GetValue(schedulerName) ?? KaiConventions.SchedulerName,
                    GpuSharingEnabled = parse.GetValue(gpuSharing),
                    GpuPodRuntimeClassName = parse.GetValue(runtimeClass) ?? string.Empty,
                    RandomSeed = Environment.ProcessId,
                },
            };
            return await RunAsync(settings, parse.InvocationConfiguration.Output, stderr, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires (SIGTERM, Ctrl-C), then stops gracefully.</summary>
    public static async Task<int> RunAsync(RunSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var logging = CommandLogging.Create(stdout, LogLevel.Information, timestamps: true);
        var logger = logging.Factory.CreateLogger("kai.run");
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
            ClusterSettings fromCluster;
            try
            {
                fromCluster = await ReadClusterSettingsAsync(cluster, settings, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"error: cannot reach the API server ({settings.Connection.Describe()}): {e.Message}").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }

            foreach (var warning in fromCluster.Warnings)
            {
                await stderr.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }

            if (fromCluster.Errors.Count > 0)
            {
                foreach (var error in fromCluster.Errors)
                {
                    await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
                }

                return ExitCodes.CouldNotRun;
            }

            var options = new ComponentHostOptions
            {
                Components = settings.Components,
                Configuration = settings.Configuration ?? fromCluster.Configuration,
                SchedulePeriod = settings.SchedulePeriod,
                Eviction = settings.Eviction,
                LeaderElection = settings.LeaderElection,
                SchedulerName = fromCluster.SchedulerName,
                Partition = fromCluster.Partition,
                ScaleAdjuster = settings.ScaleAdjuster,
            };
            var host = ComponentHost.Start(cluster, options, logging.Factory.CreateLogger("kai.components"));
            OperationsServer? operations = null;
            AdmissionWebhookServer? webhooks = null;
            try
            {
                if (settings.Webhooks is { } webhookOptions)
                {
                    // Queue reviews read every stored queue: from the watch's cache, not with a list call per request.
                    (await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<Queue>()), cancellationToken).ConfigureAwait(false)).Dispose();
                    var reviewer = new AdmissionReviewHandler(new KaiAdmission(settings.Admission), async c => (await cluster.ListAsync<Queue>(c).ConfigureAwait(false)).Items);
                    webhooks = await AdmissionWebhookServer.StartAsync(reviewer, webhookOptions, cancellationToken).ConfigureAwait(false);
                }

                if (settings.MetricsPort is { } port)
                {
                    operations = await OperationsServer.StartAsync(settings.MetricsAddress, port, () => host.IsHealthy, () => host.IsReady && cluster.IsSynced, logging.Provider, cancellationToken).ConfigureAwait(false);
                }

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

                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await stdout.WriteLineAsync("kai run: stopping (the cycle in flight completes, leases are released).").ConfigureAwait(false);
                }
            }
            catch (IOException e)
            {
                await stderr.WriteLineAsync($"error: cannot listen on {settings.MetricsAddress}:{settings.MetricsPort}: {e.Message.TrimEnd('.')}; choose another --metrics-port (0 picks a free one).").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }
            finally
            {
                await host.DisposeAsync().ConfigureAwait(false);
                if (webhooks is not null)
                {
                    await webhooks.DisposeAsync().ConfigureAwait(false);
                }

                if (operations is not null)
                {
                    await operations.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        return ExitCodes.Success;
    }

    private static WebhookServerOptions WebhookOptions(int port, string? certificateDirectory, IPAddress address) => new()
    {
        Address = address,
        Port = port,
        CertificateFile = certificateDirectory is null ? null : Path.Combine(certificateDirectory, "tls.crt"),
        KeyFile = certificateDirectory is null ? null : Path.Combine(certificateDirectory, "tls.key"),
    };

    private static KubernetesConnection? Connection(string? kubeconfig, string? server, List<string> problems)
    {
        if (kubeconfig is not null && server is not null)
        {
            problems.Add("give either --kubeconfig or --server, not both.");
            return null;
        }

        if (server is not null)
        {
            if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                problems.Add($"--server '{server}' is not an http(s) address such as http://127.0.0.1:8080.");
                return null;
            }

            return new KubernetesConnection { Server = uri };
        }

        return kubeconfig is not null ? new KubernetesConnection { KubeconfigPath = kubeconfig } : KubernetesConnection.Default();
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
