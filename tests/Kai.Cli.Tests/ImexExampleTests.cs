namespace Kai.Cli.Tests;

/// <summary>
/// KAI's docs/dra/gpu-imex-pod.yaml, unchanged: the embedded ComputeDomain controller creates the claim template
/// imex-channel-0 and every GPU node's IMEX channel, so the pod's claim gets a channel and the pod is placed.
/// </summary>
public sealed class ImexExampleTests
{
    [Fact]
    public async Task Simulate_WhenAPodClaimsFromAComputeDomainsTemplate_PlacesItAndItsClaimHoldsTheNodesChannel()
    {
        var run = await CliRun.RunAsync(["simulate", Repository.Path_("tests", "kai-examples", "docs", "dra", "gpu-imex-pod.yaml"), "--now", CliInputs.Now, "-o", "json"]);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        Assert.DoesNotContain(run.Report.Diagnostics, d => d.Message.Contains("ComputeDomain", StringComparison.Ordinal));
        var pod = Assert.Single(run.Report.Pods);
        Assert.Equal(("gpu-imex-pod", "Binding", "node-0"), (pod.Name, pod.Status, pod.Node));
        var channels = (run.Report.Nodes ?? []).SelectMany(n => n.DraDevices).ToList();
        Assert.Equal(
            ["compute-domain.nvidia.com/node-0/channel-0=default/gpu-imex-pod-imex-channel-0", "compute-domain.nvidia.com/node-1/channel-0=", "compute-domain.nvidia.com/node-2/channel-0=", "compute-domain.nvidia.com/node-3/channel-0="],
            channels.Select(d => $"{d.Device}={d.Claim}"));
        var claim = Assert.Single(run.Report.ResourceClaims ?? []);
        Assert.Equal(("default", "gpu-imex-pod-imex-channel-0"), (claim.Namespace, claim.Name));
    }
}
