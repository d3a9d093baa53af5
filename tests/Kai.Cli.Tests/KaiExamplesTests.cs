
namespace Kai.Cli.Tests;

/// <summary>
/// KAI's own example files (tests/kai-examples, unchanged) run through <c>kai simulate</c>: each one the README claims
/// works is scheduled as KAI would schedule it.
/// </summary>
public sealed class KaiExamplesTests
{
    /// <summary>Examples the README lists as running unchanged: files, and every pod's expected status after one cycle.</summary>
    public static TheoryData<string, string> Working => new()
    {
        { "docs/quickstart/default-queues.yaml docs/quickstart/pods/cpu-only-pod.yaml docs/quickstart/pods/gpu-pod.yaml", "cpu-only-pod=Binding gpu-pod=Binding" },
        { "docs/priority/example/limited-queue.yaml docs/priority/example/train-priority-pod.yaml docs/priority/example/build-priority-pod.yaml", "train-pod=Binding build-pod=Pending" },
        { "docs/gpu-sharing/gpu-sharing.yaml", "gpu-sharing=Binding" },
        { "docs/gpu-sharing/gpu-sharing-init-container.yaml", "gpu-sharing-init-container=Binding" },
        { "docs/gpu-sharing/gpu-sharing-non-default-container.yaml", "gpu-sharing-non-default=Binding" },
        { "docs/gpu-sharing/mps/gpu-sharing-with-mps.yaml", "gpu-sharing-with-mps=Binding" },
        { "docs/batch/batch-job.yaml", "batch-job-cbbbb=Binding batch-job-dbbbb=Binding" },
        { "docs/batch/pytorch-job.yaml", "pytorch-dist-mnist-nccl-master-0=Binding pytorch-dist-mnist-nccl-worker-0=Binding pytorch-dist-mnist-nccl-worker-1=Binding" },
        { "docs/elastic/pytorch-elastic.yaml", "elastic-example-imagenet-worker-0=Binding elastic-example-imagenet-worker-1=Binding" },
        { "examples/ray/ray-job.yaml", "rayjob-sample-cbbbb-gpu-workers-worker-fbbbb=Binding rayjob-sample-cbbbb-gpu-workers-worker-gbbbb=Binding rayjob-sample-cbbbb-head-dbbbb=Binding" },
        { "docs/gpu-sharing/gpu-memory.yaml", "gpu-sharing=Binding" },
        { "examples/time-based-fairshare/two-queue-oscillation/queues.yaml examples/time-based-fairshare/two-queue-oscillation/jobs.yaml", "team-a-training-job=Binding team-b-training-job=Binding" },
        { "docs/dra/gpu-imex-pod.yaml", "gpu-imex-pod=Binding" },
    };

    [Theory]
    [MemberData(nameof(Working))]
    public async Task Simulate_WhenAnExampleTheReadmeClaimsWorks_SchedulesEveryPod(string files, string expected)
    {
        var run = await CliRun.RunAsync(["simulate", .. Paths(files), "--now", CliInputs.Now, "-o", "json"]);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Error}");
        var actual = string.Join(' ', run.Report.Pods.Select(p => $"{p.Name}={p.Status}"));
        Assert.Equal(Sorted(expected), Sorted(actual));
    }

    /// <summary>KAI's GPU-sharing examples: each pod gets one shared GPU (a GPU group), named in the report.</summary>
    [Theory]
    [InlineData("docs/gpu-sharing/gpu-sharing.yaml")]
    [InlineData("docs/gpu-sharing/gpu-sharing-init-container.yaml")]
    [InlineData("docs/gpu-sharing/gpu-sharing-non-default-container.yaml")]
    [InlineData("docs/gpu-sharing/mps/gpu-sharing-with-mps.yaml")]
    [InlineData("docs/gpu-sharing/gpu-memory.yaml")]
    public async Task Simulate_WhenAGpuSharingExampleRuns_ReportsTheSharedGpuOfItsPod(string file)
    {
        var run = await CliRun.RunAsync(["simulate", .. Paths(file), "--now", CliInputs.Now, "-o", "json"]);

        var pod = Assert.Single(run.Report.Pods);
        Assert.Single(pod.GpuGroups);
    }

    [Fact]
    public void Readme_ListsEveryExampleFile()
    {
        var readme = File.ReadAllText(Repository.Path_("README.md"));
        var examples = Repository.Path_("tests", "kai-examples");
        var files = Directory.EnumerateFiles(examples, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(examples, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.All(files, file => Assert.Contains(Path.GetFileName(file), readme, StringComparison.Ordinal));
    }

    private static string[] Paths(string files) =>
        files.Split(' ').Select(f => Repository.Path_(["tests", "kai-examples", .. f.Split('/')])).ToArray();

    private static string Sorted(string pairs) => string.Join(' ', pairs.Split(' ').Order(StringComparer.Ordinal));
}
