using System.Diagnostics.Metrics;
using System.Net;
using Kai.ApiServer.Hosting;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Controllers.Binding;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>/metrics, /healthz and /readyz of a running component: names come out exactly as KAI's.</summary>
/// <remarks>
/// The exporter listens to every meter named <c>Kai.*</c> in the process, so a scheduler of another test running
/// meanwhile (the high-availability, <c>kai run</c> and end-to-end tests run some) would add its cycles to the figures
/// asserted here: these tests run in <see cref="ProcessWideMetersCollection"/>, apart from every other test.
/// </remarks>
[Collection(ProcessWideMetersCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterBinding_ExportsTheBinderInstrumentsAndKaiSchedulerMetersUnderKaiNames()
    {
        using var schedulerMeter = new Meter("Kai.Scheduler");
        var e2e = schedulerMeter.CreateGauge<double>("kai_e2e_scheduling_latency_milliseconds");
        var scheduledByAction = schedulerMeter.CreateCounter<long>("kai_podgroups_scheduled_by_action");
        await using var operations = await OperationsServer.StartAsync(IPAddress.Loopback, 0, () => true, () => true);
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml"), TimeProvider.System, LiveApi.QuickRetries());
        var ct = LiveApi.Timeout();
        await api.Server.Cluster.CreateAsync(Pods.Small("metered"), ct);
        await api.Server.Cluster.CreateAsync(new Crds.BindRequest { Metadata = new() { Name = "metered", NamespaceProperty = "default" }, Spec = new() { PodName = "metered", SelectedNode = "node-1" } }, ct);
        using var binder = await Binder.CreateAsync(api.Cluster, ct);
        while (await binder.RunOnceAsync(ct) == 0)
        {
            await binder.WaitForWorkAsync(ct);
        }

        e2e.Record(12.5);
        scheduledByAction.Add(3, new KeyValuePair<string, object?>("action", "allocate"));
        using var http = new HttpClient { BaseAddress = operations.Address };
        var metrics = await http.GetStringAsync("/metrics", ct);
        var lines = metrics.Split('\n');

        // The exporter writes an empty label set as {}, which Prometheus reads as none.
        Assert.Contains(lines, l => l.StartsWith("kai_binder_binds_total{} ", StringComparison.Ordinal) && double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains("# TYPE kai_binder_binds_total counter", lines);
        Assert.Contains("# TYPE kai_binder_bind_latency_milliseconds histogram", lines);
        Assert.Contains(lines, l => l.StartsWith("kai_binder_bind_latency_milliseconds_bucket{le=\"5\"}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("kai_binder_bind_latency_milliseconds_bucket{le=\"2560\"}", StringComparison.Ordinal));
        Assert.Contains("kai_e2e_scheduling_latency_milliseconds{} 12.5", lines);
        Assert.Contains(lines, l => l.StartsWith("kai_podgroups_scheduled_by_action{action=\"allocate\"} 3", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("otel_scope", StringComparison.Ordinal) || l.StartsWith("target_info", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthAndReadiness_FollowTheHostState()
    {
        var ready = false;
        await using var operations = await OperationsServer.StartAsync(IPAddress.Loopback, 0, () => true, () => ready);
        using var http = new HttpClient { BaseAddress = operations.Address };

        var healthz = await http.GetAsync("/healthz");
        var notReady = await http.GetAsync("/readyz");
        ready = true;
        var nowReady = await http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nowReady.StatusCode);
    }
}

/// <summary>Tests that read process-wide meters run one at a time and apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetersCollection
{
    public const string Name = "Process-wide meters";
}
