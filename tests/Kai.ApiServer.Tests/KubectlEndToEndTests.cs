using k8s;
using Kai.ApiServer.Hosting;
using Kai.Cluster.Manifests;

namespace Kai.ApiServer.Tests;

/// <summary>kubectl against kai serve with the scheduler running: KAI's quickstart applied, scheduled, described and deleted.</summary>
public sealed class KubectlEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kai-kubectl-").FullName;
    private KaiServer _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        var options = new ServeOptions { Api = new ApiServerOptions { Port = 0 }, SchedulePeriod = TimeSpan.FromMilliseconds(200) };
        _server = await KaiServer.StartAsync(new ManifestSet([], []), options);
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig.For(_server.Address));
        _kubectl = new Kubectl(kubeconfig, Path.Combine(_directory, "cache"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [KubectlFact]
    public async Task Kubectl_AppliesKaisQuickstartAndSeesItScheduledDescribedAndDeleted()
    {
        var quickstart = Repository.Path_("tests", "kai-examples", "docs", "quickstart");

        var apply = await _kubectl.RunAsync("apply", "-f", Path.Combine(quickstart, "default-queues.yaml"), "-f", Path.Combine(quickstart, "pods"));
        await WaitUntilRunningAsync("cpu-only-pod", "gpu-pod");
        var wide = await _kubectl.RunAsync("get", "pods", "-o", "wide");
        var describe = await _kubectl.RunAsync("describe", "pod", "gpu-pod");
        var groups = await _kubectl.RunAsync("get", "pg");
        var reapply = await _kubectl.RunAsync("apply", "-f", Path.Combine(quickstart, "pods"));
        var delete = await _kubectl.RunAsync("delete", "pod", "cpu-only-pod", "--grace-period=1");
        var after = await _kubectl.RunAsync("get", "pods", "-o", "name");

        Assert.True(apply.ExitCode == 0, apply.Error);
        Assert.Contains("queue.scheduling.run.ai/default-queue configured", apply.Output, StringComparison.Ordinal);
        Assert.Contains("pod/gpu-pod created", apply.Output, StringComparison.Ordinal);
        var rows = wide.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", rows[0], StringComparison.Ordinal);
        Assert.Contains("NODE", rows[0], StringComparison.Ordinal);
        Assert.All(rows[1..], row => Assert.Matches(@"^\S+\s+1/1\s+Running\s+0\s+\S+\s+<none>\s+node-\d+\s", row));
        Assert.Equal(2, rows.Length - 1);
        Assert.True(describe.ExitCode == 0, describe.Error);
        Assert.Matches(@"Node:\s+node-\d+", describe.Output);
        Assert.Matches(@"Normal\s+Scheduled\s+\S+\s+kai-scheduler\s+Successfully assigned default/gpu-pod to node-\d+", describe.Output);
        Assert.Contains("pg-gpu-pod-", groups.Output, StringComparison.Ordinal);
        Assert.Contains("pod/gpu-pod unchanged", reapply.Output, StringComparison.Ordinal);
        Assert.True(delete.ExitCode == 0, delete.Error);
        Assert.Contains("pod \"cpu-only-pod\" deleted", delete.Output, StringComparison.Ordinal);
        Assert.Equal("pod/gpu-pod", after.Output.Trim());
    }

    [KubectlFact]
    public async Task Kubectl_ReadsWritesAndWaitsWithoutClientSideValidationShortcuts()
    {
        var manifest = Path.Combine(_directory, "queue.yaml");
        await File.WriteAllTextAsync(manifest, "apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: team-a\nspec:\n  parentQueue: default-parent-queue\n  resources:\n    gpu: {quota: 2, limit: -1, overQuotaWeight: 1}\n");
        var typo = Path.Combine(_directory, "typo.yaml");
        await File.WriteAllTextAsync(typo, "apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: team-b\nspec:\n  parentQeue: default-parent-queue\n");

        var created = await _kubectl.RunAsync("apply", "-f", manifest);
        var rejected = await _kubectl.RunAsync("apply", "-f", typo);
        var serverSide = await _kubectl.RunAsync("apply", "--server-side", "-f", manifest);
        var label = await _kubectl.RunAsync("label", "queue", "team-a", "tier=gold");
        var jsonPath = await _kubectl.RunAsync("get", "queue", "team-a", "-o", "jsonpath={.metadata.labels.tier}/{.spec.resources.gpu.quota}");
        var explain = await _kubectl.RunAsync("explain", "queue.spec.resources");
        var crds = await _kubectl.RunAsync("get", "crd");
        var nodes = await _kubectl.RunAsync("get", "nodes");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("unknown field \"spec.parentQeue\"", rejected.Error, StringComparison.Ordinal);
        Assert.True(serverSide.ExitCode == 0, serverSide.Error);
        Assert.Contains("serverside-applied", serverSide.Output, StringComparison.Ordinal);
        Assert.True(label.ExitCode == 0, label.Error);
        Assert.Equal("gold/2", jsonPath.Output);
        Assert.Contains("gpu", explain.Output, StringComparison.Ordinal);
        Assert.Contains("podgroups.scheduling.run.ai", crds.Output, StringComparison.Ordinal);
        Assert.Equal(5, nodes.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    // The scheduler's own tick is the completion signal: check after each until the pods run or patience ends.
    private async Task WaitUntilRunningAsync(params string[] names)
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString().TrimEnd('/') });
        var deadline = DateTimeOffset.UtcNow + TestServer.Patience;
        while (true)
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync("default");
            if (names.All(n => pods.Items.Any(p => p.Metadata.Name == n && p.Status?.Phase == "Running" && !string.IsNullOrEmpty(p.Spec.NodeName))))
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"pods did not run in time: {string.Join(", ", pods.Items.Select(p => $"{p.Metadata.Name}={p.Status?.Phase}"))}");
            await _server.Scheduler!.NextTickAsync().WaitAsync(TestServer.Patience);
        }
    }
}
