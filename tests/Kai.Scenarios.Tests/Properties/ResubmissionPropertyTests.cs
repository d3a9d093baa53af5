using k8s.Models;
using Kai.Cluster.Manifests;
using Kai.Scenarios.Tests.Harness;

namespace Kai.Scenarios.Tests.Properties;

/// <summary>
/// Properties of disruption once evicted pods come back: every disruptive scenario, run long enough for grace
/// periods, resubmission and the staleness grace period to play out, ends with no gang running below its minimum,
/// and consolidation never ends with fewer running pods or GPUs of workloads than it started with.
/// </summary>
public sealed class ResubmissionPropertyTests
{
    /// <summary>Four simulated minutes at 30 s: past termination grace (30 s) and the staleness grace period (60 s).</summary>
    private const int Cycles = 8;

    public static TheoryData<string> DisruptionScenarios() => Scenarios(_ => true);

    public static TheoryData<string> ConsolidationScenarios() => Scenarios(name => name.StartsWith("disruptive/consolidation", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(DisruptionScenarios))]
    public async Task Simulate_DisruptionScenarioWithResubmission_NoGangEndsRunningBelowItsMinimum(string scenario)
    {
        var (run, _) = await RunLongAsync(scenario);

        var report = run.Report;
        foreach (var group in report.PodGroups)
        {
            var active = report.Pods.Count(p => p.Namespace == group.Namespace && p.PodGroup == group.Name && p.Status is "Running" or "Binding" or "Bound");
            Assert.True(active == 0 || active >= group.MinMember, $"{scenario}: pod group {group.Namespace}/{group.Name} ends with {active} active pods, below its minimum of {group.MinMember}");
        }
    }

    [Theory]
    [MemberData(nameof(ConsolidationScenarios))]
    public async Task Simulate_ConsolidationScenarioWithResubmission_NeverLowersTheWorkloadsRunningPodsOrGpus(string scenario)
    {
        var (run, inputs) = await RunLongAsync(scenario);

        // Workload pods: those that name a pod group of their own choosing (bare pods have no controller to bring them back).
        var workloadPods = inputs.Select(o => o.Object).OfType<V1Pod>()
            .Where(p => p.Metadata.Annotations?.ContainsKey("pod-group-name") == true)
            .ToDictionary(p => $"{p.Metadata.NamespaceProperty ?? "default"}/{p.Metadata.Name}", StringComparer.Ordinal);
        var before = workloadPods.Values.Where(p => p.Status?.Phase == "Running" && p.Spec.NodeName is not null && p.Metadata.DeletionTimestamp is null).ToList();
        var after = run.Report.Pods.Where(p => p.Status == "Running" && workloadPods.ContainsKey($"{p.Namespace}/{p.Name}"))
            .Select(p => workloadPods[$"{p.Namespace}/{p.Name}"]).ToList();
        Assert.True(after.Count >= before.Count, $"{scenario}: {after.Count} workload pods run at the end, {before.Count} at the start");
        Assert.True(after.Sum(Gpus) >= before.Sum(Gpus), $"{scenario}: {after.Sum(Gpus)} GPUs of workloads run at the end, {before.Sum(Gpus)} at the start");
    }

    private static async Task<(CliRun Run, IReadOnlyList<LoadedObject> Inputs)> RunLongAsync(string scenario)
    {
        var path = Path.Combine(Repository.ScenariosDirectory, scenario);
        var expectation = ScenarioExpectation.Load(path);
        var directory = Path.GetDirectoryName(path)!;
        var inputs = expectation.Inputs.Select(i => Path.GetFullPath(Path.Combine(directory, i))).ToArray();
        string[] config = expectation.Config is { } file ? ["--config", Path.GetFullPath(Path.Combine(directory, file))] : [];
        var run = await CliRun.RunAsync(["simulate", .. inputs, "--now", expectation.Now, "-o", "json", .. config, .. WithoutCycles(expectation.Args), "--cycles", Cycles.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return (run, ManifestLoader.LoadPaths(inputs).Objects);
    }

    private static IEnumerable<string> WithoutCycles(List<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--cycles")
            {
                i++;
                continue;
            }

            yield return args[i];
        }
    }

    private static decimal Gpus(V1Pod pod) => pod.Spec.Containers.Sum(c =>
        (c.Resources?.Requests?.TryGetValue("nvidia.com/gpu", out var requested) == true ? requested : null)?.ToDecimal()
        ?? (c.Resources?.Limits?.TryGetValue("nvidia.com/gpu", out var limit) == true ? limit.ToDecimal() : 0m));

    private static TheoryData<string> Scenarios(Func<string, bool> include)
    {
        var data = new TheoryData<string>();
        var directory = Path.Combine(Repository.ScenariosDirectory, "disruptive");
        foreach (var file in Directory.GetFiles(directory, "*.expect.yaml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(Repository.ScenariosDirectory, file).Replace('\\', '/');
            var expectation = ScenarioExpectation.Load(file);
            if (expectation.Skip is null && !expectation.Args.Contains("--no-resubmit") && include(name))
            {
                data.Add(name);
            }
        }

        return data;
    }
}
