using System.Text.Json;
using k8s.Models;
using Kai.Cli;
using Kai.Cli.Commands;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Controllers.Hosting;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary><c>kai run</c> as a user runs it, against kai serve's address.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_AgainstKaiServe_SchedulesServesMetricsAndReleasesItsLeasesWhenStopped()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml", "tests/kai-examples/docs/quickstart/pods"), TimeProvider.System);
        var ct = LiveApi.Timeout();
        var output = new LineWriter();
        var error = new LineWriter();
        using var stop = new CancellationTokenSource();

        var run = KaiCommandLine.RunAsync(
            ["run", "--server", api.Server.Address.ToString(), "--leader-elect", "--identity", "replica-1", "--metrics-port", "0", "--metrics-address", "127.0.0.1", "--schedule-period", "100ms"],
            output,
            error,
            stop.Token);
        var ready = await output.WaitForLineAsync(l => l.StartsWith(RunCommand.ReadyPrefix, StringComparison.Ordinal));
        var metricsLine = await output.WaitForLineAsync(l => l.Contains("health and metrics: ", StringComparison.Ordinal));
        var metricsAddress = new Uri(metricsLine[(metricsLine.IndexOf("http", StringComparison.Ordinal))..].Split(',')[0].Replace("healthz", string.Empty, StringComparison.Ordinal));
        while ((await api.Server.Cluster.ListAsync<V1Pod>(ct)).Items.Any(p => string.IsNullOrEmpty(p.Spec.NodeName)))
        {
            await Task.Delay(10, ct);
        }

        using var http = new HttpClient { BaseAddress = metricsAddress };
        var readyz = await http.GetAsync("/readyz", ct);
        // The binder counts a bind once the server has answered it, a moment after the pod shows its node.
        var metrics = await http.GetStringAsync("/metrics", ct);
        while (!metrics.Contains("kai_binder_binds_total", StringComparison.Ordinal))
        {
            await Task.Delay(50, ct);
            metrics = await http.GetStringAsync("/metrics", ct);
        }

        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(LiveApi.Patience);
        var leases = (await api.Server.Cluster.ListAsync<V1Lease>(ct)).Items;

        Assert.Contains("scheduler, binder, podgrouper", ready, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, readyz.StatusCode);
        Assert.Contains("kai_binder_binds_total", metrics, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
        Assert.Equal(["2ad35f9c.kai.scheduler", "54dff599.kai.scheduler", "kai-scheduler"], leases.Select(l => l.Metadata.Name).Order());
        Assert.All(leases, l => Assert.True(string.IsNullOrEmpty(l.Spec.HolderIdentity)));
        Assert.Contains("kai run: stopping", output.Text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d info: Kai\.Controllers\.Scheduling\.Scheduler\[\d+\] .*Cycle \d+ completed in ", output.Text);
    }

    [Theory]
    [InlineData("--kubeconfig x --server http://127.0.0.1:1", "give either --kubeconfig or --server")]
    [InlineData("--server http://127.0.0.1:1 --components scheduler,kubelet", "'kubelet' is not a component")]
    [InlineData("--server ftp://x", "is not an http(s) address")]
    [InlineData("--server http://127.0.0.1:1 --schedule-period soon", "--schedule-period 'soon' is not a positive duration")]
    [InlineData("--server http://127.0.0.1:1 --eviction evict", "--eviction 'evict' is not delete or api")]
    public async Task Run_WithAWrongCommandLine_ExitsWith2AndSaysWhatIsWrong(string arguments, string message)
    {
        var error = new LineWriter();

        var exitCode = await KaiCommandLine.RunAsync(["run", .. arguments.Split(' ')], new LineWriter(), error);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(message, error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SchedulingShard_WithKaiSettings_MapsWhatIsSupportedAndWarnsAboutTheRest()
    {
        var spec = JsonDocument.Parse("""
            {
              "placementStrategy": {"gpu": "spread", "cpu": "binpack"},
              "actions": {"preempt": {"enabled": false}, "reclaim": {"priority": 600}},
              "plugins": {"gpuspread": {"enabled": true}, "topology": {"enabled": false}, "proportion": {"arguments": {"kValue": "2"}}},
              "queueDepthPerAction": {"allocate": 50},
              "minRuntime": {"preemptMinRuntime": "5m", "reclaimMinRuntime": "10m"},
              "kValue": 0.5,
              "usageDBConfig": {"clientType": "prometheus"},
              "args": {"verbosity": "4"}
            }
            """).RootElement;

        var configuration = SchedulingShardConfiguration.Map("default", spec, SchedulerConfiguration.Default, out var partition, out var warnings);

        Assert.Null(partition);
        Assert.Equal(PlacementStrategy.Spread, configuration.GpuPlacementStrategy);
        Assert.Equal(PlacementStrategy.Binpack, configuration.CpuPlacementStrategy);
        Assert.Equal([ActionKind.Reclaim, ActionKind.Allocate, ActionKind.StaleGangEviction], configuration.Actions);
        var plugins = configuration.Plugins!.ToDictionary(p => p.Name);
        Assert.Contains("gpuspread", plugins.Keys);
        Assert.DoesNotContain("topology", plugins.Keys);
        Assert.Equal(50, configuration.QueueDepthPerAction[ActionKind.Allocate]);
        Assert.Equal(["defaultPreemptMinRuntime=5m", "defaultReclaimMinRuntime=10m"], plugins["minruntime"].Arguments.Select(a => $"{a.Key}={a.Value}"));
        Assert.Equal(["kValue=2"], plugins["proportion"].Arguments.Select(a => $"{a.Key}={a.Value}"));
        var bound = KaiPlugins.Registry.Configure(configuration);
        Assert.Empty(bound.Errors);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("usageDBConfig", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("args.verbosity", StringComparison.Ordinal));
    }
}
