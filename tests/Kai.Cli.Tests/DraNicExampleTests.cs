namespace Kai.Cli.Tests;

/// <summary>
/// examples/dra-nic.yaml, run as its header says: every claim gets a NIC no other claim holds, the shared claim one NIC
/// for both its pods, the job left without one waits with the reason, and the node devices name each NIC's claim.
/// </summary>
public sealed class DraNicExampleTests
{
    [Fact]
    public async Task Simulate_WhenFourClaimsWantThreeNics_TheLastJobWaitsAndEachNicNamesItsClaim()
    {
        var report = (await CliRun.RunAsync(["simulate", Repository.Path_("examples", "dra-nic.yaml"), "--now", CliInputs.Now, "--cycles", "2", "-o", "json"])).Report;

        Assert.Equal(
            ["nic.example.com/node-a/nic-0=team-a/shared-nic", "nic.example.com/node-b/nic-0=team-a/nic-0", "nic.example.com/node-b/nic-1=team-a/nic-1"],
            (report.Nodes ?? []).SelectMany(n => n.DraDevices).Select(d => $"{d.Device}={d.Claim}"));
        Assert.Equal(["job-0=node-b", "job-1=node-b", "job-2=", "pair-0=node-a", "pair-1=node-a"], report.Pods.Select(p => $"{p.Name}={p.Node}").Order(StringComparer.Ordinal));
        var waiting = report.PodGroups.Single(g => g.Name.StartsWith("pg-job-2", StringComparison.Ordinal));
        Assert.Contains("node node-b has 0 free devices of class nic; resource claim team-a/nic-2 needs 1", waiting.Reasons[0].Message, StringComparison.Ordinal);
    }
}
