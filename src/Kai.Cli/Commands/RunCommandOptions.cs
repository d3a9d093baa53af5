using System.CommandLine;
using System.Globalization;
using System.Net;
using Kai.ApiServer.Webhooks;
using Kai.Cluster.Crds;
using Kai.Cluster.Kubernetes;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;
using Kai.Controllers.Conventions;
using Kai.Controllers.Hosting;
using Kai.Controllers.ScaleAdjust;

namespace Kai.Cli.Commands;

/// <summary><c>kai run</c>'s flags, and their reading into checked <see cref="RunSettings"/>.</summary>
internal sealed class RunCommandOptions
{
    private readonly Option<string?> _kubeconfig = new("--kubeconfig") { Description = "Kubeconfig file (its current context). Default: the pod's service account in a cluster, else $KUBECONFIG or ~/.kube/config." };
    private readonly Option<string?> _server = new("--server") { Description = "API server address without credentials, e.g. kai serve's http://127.0.0.1:8080." };
    private readonly Option<bool> _http2 = new("--http2-prior-knowledge") { Description = "With an http:// --server: speak HTTP/2 in clear text from the first byte, as kai serve --http2-port listens (fewer connections, less processor time per request)." };
    private readonly Option<string> _components = new("--components") { Description = "Comma-separated components: scheduler, binder, podgrouper, podgroupcontroller, queuecontroller, admission, nodescaleadjuster.", DefaultValueFactory = _ => "scheduler,binder,podgrouper" };
    private readonly Option<string> _scaleNamespace = new("--scale-adjust-namespace") { Description = "Namespace of the node-scale-adjuster's scaling pods (component nodescaleadjuster).", DefaultValueFactory = _ => "kai-scale-adjust" };
    private readonly Option<string> _scalingPodImage = new("--scaling-pod-image") { Description = "Image of the scaling pods; it is started with the argument pause (kai's own image does that).", DefaultValueFactory = _ => new NodeScaleAdjusterOptions().ScalingPodImage };
    private readonly Option<double> _memoryRatio = new("--gpu-memory-to-fraction-ratio") { Description = "The share of a GPU a gpu-memory pod counts as when the node-scale-adjuster sums what pods need.", DefaultValueFactory = _ => 0.1 };
    private readonly Option<int> _webhookPort = new("--webhook-port") { Description = "HTTPS port of the admission webhooks (component admission; 0 picks a free one).", DefaultValueFactory = _ => 9443 };
    private readonly Option<string?> _webhookCertDir = new("--webhook-cert-dir") { Description = "Directory with tls.crt and tls.key for the admission webhooks (the kai-admission-webhook-tls-secret); default: a self-signed certificate." };
    private readonly Option<bool> _gpuSharing = new("--gpu-sharing") { Description = "Admission allows GPU-sharing pods (gpu-fraction, gpu-memory); KAI's global.gpuSharing.", DefaultValueFactory = _ => true };
    private readonly Option<string> _runtimeClass = new("--gpu-pod-runtime-class-name") { Description = "runtimeClassName the admission gives GPU pods without one; empty turns it off.", DefaultValueFactory = _ => "nvidia" };
    private readonly Option<bool> _leaderElect = new("--leader-elect") { Description = "Run each component only while this replica holds its Lease (KAI's lease names), for several replicas." };
    private readonly Option<string> _leaseNamespace = new("--lease-namespace") { Description = "Namespace of the leader-election Leases.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns ? ns : "kai-scheduler" };
    private readonly Option<string?> _identity = new("--identity") { Description = "This replica's name in the Leases (default: host name and process id)." };
    private readonly Option<string> _shard = new("--shard") { Description = "The SchedulingShard to read the configuration from when --config is not given.", DefaultValueFactory = _ => "default" };
    private readonly Option<string?> _schedulerName = new("--scheduler-name") { Description = "The scheduler's name (names its Lease). Default: kai-config's spec.global.schedulerName, else kai-scheduler." };
    private readonly Option<string> _period = new("--schedule-period") { Description = "Time between scheduling cycles.", DefaultValueFactory = _ => "1s" };
    private readonly Option<int> _metricsPort = new("--metrics-port") { Description = "Port of /healthz, /readyz and /metrics (0 picks a free one, -1 serves none).", DefaultValueFactory = _ => 8080 };
    private readonly Option<string> _eviction = new("--eviction") { Description = "How the scheduler removes the pods it evicts: delete (KAI's way) or api (the Eviction API, which PodDisruptionBudgets may refuse for now).", DefaultValueFactory = _ => "delete" };
    private readonly Option<string> _metricsAddress = new("--metrics-address") { Description = "Address /metrics listens on (0.0.0.0 in a pod, 127.0.0.1 on a workstation).", DefaultValueFactory = _ => "0.0.0.0" };

    /// <summary>The scheduler configuration file (read by the command: its errors exit with 1, not 2).</summary>
    public Option<string?> Config { get; } = new("--config") { Description = "Scheduler configuration file (YAML, docs/configuration.md). Default: the cluster's SchedulingShard, else KAI's defaults." };

    public void AddTo(Command command)
    {
        Option[] all =
        [
            _kubeconfig, _server, _http2, _components, _leaderElect, _leaseNamespace, _identity, Config, _shard, _schedulerName, _period, _eviction, _metricsPort, _metricsAddress,
            _webhookPort, _webhookCertDir, _gpuSharing, _runtimeClass, _scaleNamespace, _scalingPodImage, _memoryRatio,
        ];
        foreach (var option in all)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings the flags ask for (without <c>--config</c>'s content), or null with what is wrong in <paramref name="problems"/>.</summary>
    public RunSettings? Read(ParseResult parse, List<string> problems)
    {
        var connection = Connection(parse.GetValue(_kubeconfig), parse.GetValue(_server), parse.GetValue(_http2), problems);
        var (chosen, serveWebhooks) = ReadComponents(parse.GetValue(_components)!, problems);
        var (step, evictionMode, port, address) = ReadChecked(parse, problems);
        if (problems.Count > 0 || connection is null)
        {
            return null;
        }

        return new RunSettings
        {
            Connection = connection,
            Components = chosen.Distinct().ToList(),
            LeaderElection = parse.GetValue(_leaderElect)
                ? new LeaderElectionOptions
                {
                    Namespace = parse.GetValue(_leaseNamespace)!,
                    Identity = parse.GetValue(_identity) ?? $"{Environment.MachineName}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}",
                }
                : null,
            Shard = parse.GetValue(_shard)!,
            SchedulerName = parse.GetValue(_schedulerName),
            SchedulePeriod = step.ToTimeSpan(),
            Eviction = evictionMode ?? EvictionMode.Delete,
            MetricsAddress = address!,
            MetricsPort = port < 0 ? null : port,
            Webhooks = serveWebhooks ? WebhookOptions(parse.GetValue(_webhookPort), parse.GetValue(_webhookCertDir), address!) : null,
            ScaleAdjuster = new NodeScaleAdjusterOptions
            {
                Namespace = parse.GetValue(_scaleNamespace)!,
                ScalingPodImage = parse.GetValue(_scalingPodImage)!,
                GpuMemoryToFractionRatio = parse.GetValue(_memoryRatio),
            },
            Admission = new KaiAdmissionOptions
            {
                SchedulerName = parse.GetValue(_schedulerName) ?? KaiConventions.SchedulerName,
                GpuSharingEnabled = parse.GetValue(_gpuSharing),
                GpuPodRuntimeClassName = parse.GetValue(_runtimeClass) ?? string.Empty,
                RandomSeed = Environment.ProcessId,
            },
        };
    }

    /// <summary>The flags that need checking beyond their type: schedule period, eviction, metrics port and address, memory ratio.</summary>
    private (GoDuration Step, EvictionMode? Eviction, int Port, IPAddress? Address) ReadChecked(ParseResult parse, List<string> problems)
    {
        var periodText = parse.GetValue(_period)!;
        if (!GoDuration.TryParse(periodText, out var step, out _) || step.Nanoseconds <= 0)
        {
            problems.Add($"--schedule-period '{periodText}' is not a positive duration; write e.g. 1s or 500ms.");
        }

        EvictionMode? evictionMode = parse.GetValue(_eviction) switch
        {
            "delete" => EvictionMode.Delete,
            "api" => EvictionMode.EvictionApi,
            _ => null,
        };
        if (evictionMode is null)
        {
            problems.Add($"--eviction '{parse.GetValue(_eviction)}' is not delete or api.");
        }

        var port = parse.GetValue(_metricsPort);
        if (port is < -1 or > 65535)
        {
            problems.Add("--metrics-port must be between 0 and 65535, or -1 for none.");
        }

        if (parse.GetValue(_memoryRatio) is not (> 0 and <= 1))
        {
            problems.Add("--gpu-memory-to-fraction-ratio must be above 0 and at most 1.");
        }

        if (!IPAddress.TryParse(parse.GetValue(_metricsAddress), out var address))
        {
            problems.Add($"--metrics-address '{parse.GetValue(_metricsAddress)}' is not an IP address.");
        }

        return (step, evictionMode, port, address);
    }

    private static (List<Component> Chosen, bool ServeWebhooks) ReadComponents(string list, List<string> problems)
    {
        var chosen = new List<Component>();
        var serveWebhooks = false;
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(name.Trim(), RunCommand.AdmissionComponent, StringComparison.OrdinalIgnoreCase))
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

        return (chosen, serveWebhooks);
    }

    private static WebhookServerOptions WebhookOptions(int port, string? certificateDirectory, IPAddress address) => new()
    {
        Address = address,
        Port = port,
        CertificateFile = certificateDirectory is null ? null : Path.Combine(certificateDirectory, "tls.crt"),
        KeyFile = certificateDirectory is null ? null : Path.Combine(certificateDirectory, "tls.key"),
    };

    private static KubernetesConnection? Connection(string? kubeconfig, string? server, bool http2, List<string> problems)
    {
        if (http2 && (server is null || !server.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add("--http2-prior-knowledge needs an http:// --server (kai serve's --http2-port address); over https the client negotiates HTTP/2 by itself.");
            return null;
        }

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

            return new KubernetesConnection { Server = uri, Http2PriorKnowledge = http2 };
        }

        return kubeconfig is not null ? new KubernetesConnection { KubeconfigPath = kubeconfig } : KubernetesConnection.Default();
    }
}
