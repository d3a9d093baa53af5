using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;

namespace Kai.Controllers.Tests.Admission;

/// <summary>KAI's admission webhooks applied by the embedded cluster on client creates and updates.</summary>
public sealed class KaiAdmissionTests
{
    private const string SharedPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: shared
          annotations: {gpu-fraction: "0.5", gpu-fraction-container-name: main}
        spec:
          schedulerName: kai-scheduler
          containers:
          - {name: sidecar, image: busybox}
          - {name: main, image: ubuntu}
        """;

    private static TestCluster Admitting(KaiAdmissionOptions? options = null)
    {
        var cluster = new TestCluster();
        cluster.Cluster.Admission = new KaiAdmission(options);
        return cluster;
    }

    // Objects as a client sends them, without the manifest loader's checks (which apply the same rules to files).
    private static async Task CreateAsync(TestCluster cluster, string yaml)
    {
        var types = new Dictionary<string, Type>
        {
            ["v1/Pod"] = typeof(V1Pod),
            ["scheduling.run.ai/v2/Queue"] = typeof(Queue),
            ["scheduling.run.ai/v2alpha2/PodGroup"] = typeof(PodGroup),
        };
        foreach (var obj in KubernetesYaml.LoadAllFromString(yaml, types))
        {
            await cluster.Cluster.CreateAsync((IKubernetesObject<V1ObjectMeta>)obj);
        }
    }

    private static async Task<string> RejectionAsync(TestCluster cluster, string yaml)
    {
        var error = await Assert.ThrowsAsync<ClusterException>(() => CreateAsync(cluster, yaml));
        Assert.Equal(ClusterErrorReason.Invalid, error.Reason);
        Assert.StartsWith("admission webhook \"validating-kai-admission\" denied the request: ", error.Message, StringComparison.Ordinal);
        return error.Message;
    }

    [Fact]
    public async Task Create_WhenAPodAsksForAGpuShare_SetsTheSharedGpuConfigMapEnvironmentAndVolume()
    {
        await using var cluster = Admitting();

        var pod = (V1Pod)(await cluster.ApplyAsync(SharedPod))[0];

        var prefix = pod.Metadata.Annotations["runai/shared-gpu-configmap"];
        Assert.Matches("^shared-[a-z0-9]{7}-shared-gpu$", prefix);
        var main = pod.Spec.Containers[1];
        Assert.Equal(
            [("NVIDIA_VISIBLE_DEVICES", $"{prefix}-1"), ("RUNAI_NUM_OF_GPUS", $"{prefix}-1"), ("GPU_PORTION", $"{prefix}-1")],
            main.Env.Select(e => (e.Name, e.ValueFrom.ConfigMapKeyRef.Name)));
        Assert.Equal($"{prefix}-1-evar", Assert.Single(main.EnvFrom).ConfigMapRef.Name);
        Assert.Null(pod.Spec.Containers[0].Env);
        Assert.Equal($"{prefix}-1-vol", Assert.Single(pod.Spec.Volumes).Name);
        Assert.Equal("nvidia", pod.Spec.RuntimeClassName);
    }

    [Fact]
    public async Task Create_WhenAPodAsksForWholeGpus_GetsTheGpuRuntimeClassButNoSharing()
    {
        await using var cluster = Admitting(new KaiAdmissionOptions { GpuPodRuntimeClassName = "nvidia-cdi" });

        var pod = (V1Pod)(await cluster.ApplyAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: whole}
            spec:
              schedulerName: kai-scheduler
              containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: 2}}}]
            """))[0];

        Assert.Equal("nvidia-cdi", pod.Spec.RuntimeClassName);
        Assert.Null(pod.Metadata.Annotations);
    }

    [Fact]
    public async Task Create_WhenThePodIsAnotherSchedulers_LeavesItAlone()
    {
        await using var cluster = Admitting();

        var pod = (V1Pod)(await cluster.ApplyAsync("""
            apiVersion: v1
            kind: Pod
            metadata: {name: other, annotations: {gpu-fraction: "7"}}
            spec:
              containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: 1}}}]
            """))[0];

        Assert.Null(pod.Spec.RuntimeClassName);
        Assert.Single(pod.Metadata.Annotations);
    }

    [Theory]
    [InlineData("gpu-fraction: \"1.5\"", "", "it must be a number above 0 and below 1")]
    [InlineData("gpu-fraction: \"0.5\"", "resources: {limits: {nvidia.com/gpu: 1}}", "KAI's admission rejects a pod that asks for both")]
    [InlineData("gpu-memory: \"-4\"", "", "it must be a whole number of MiB above 0")]
    [InlineData("gpu-fraction-num-devices: \"2\"", "", "needs annotation gpu-fraction or gpu-memory")]
    [InlineData("mps: \"true\"", "", "needs a GPU share")]
    public async Task Create_WhenTheGpuShareIsInvalid_IsRejected(string annotation, string resources, string expected)
    {
        await using var cluster = Admitting();

        var metadata = "{name: bad, annotations: {" + annotation + "}}";
        var message = await RejectionAsync(cluster, $$"""
            apiVersion: v1
            kind: Pod
            metadata: {{metadata}}
            spec:
              schedulerName: kai-scheduler
              containers: [{name: main, image: ubuntu, {{resources}}}]
            """);

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Empty(await cluster.PodsAsync());
    }

    [Fact]
    public async Task Create_WhenGpuSharingIsDisabled_RejectsAFraction()
    {
        await using var cluster = Admitting(new KaiAdmissionOptions { GpuSharingEnabled = false });

        var message = await RejectionAsync(cluster, SharedPod);

        Assert.Contains("GPU sharing is disabled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_WhenItMakesTheGpuShareInvalid_IsRejectedAndTheStoredPodStays()
    {
        await using var cluster = Admitting();
        var pod = KubeObjects.Clone((V1Pod)(await cluster.ApplyAsync(SharedPod))[0]);

        pod.Metadata.Annotations["gpu-fraction"] = "2";
        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.Cluster.ReplaceAsync(pod).AsTask());

        Assert.Contains("gpu-fraction", error.Message, StringComparison.Ordinal);
        Assert.Equal("0.5", (await cluster.PodAsync("shared")).Metadata.Annotations["gpu-fraction"]);
    }

    [Fact]
    public async Task Create_WhenAQueuesParentIsMissing_IsRejectedNamingTheQueuesThatExist()
    {
        await using var cluster = Admitting();

        var message = await RejectionAsync(cluster, """
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: team-a}
            spec:
              parentQueue: research
              resources: {gpu: {quota: 2, limit: -1, overQuotaWeight: 1}}
            """);

        Assert.Contains("spec.parentQueue \"research\" does not exist", message, StringComparison.Ordinal);
        Assert.Contains("default-parent-queue", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_WhenAQueuesNewParentIsItsDescendant_IsRejectedAsALoop()
    {
        await using var cluster = Admitting();
        await cluster.ApplyAsync("""
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: research}
            spec: {resources: {gpu: {quota: 2, limit: -1, overQuotaWeight: 1}}}
            ---
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: team-a}
            spec: {parentQueue: research, resources: {gpu: {quota: 2, limit: -1, overQuotaWeight: 1}}}
            """);
        var research = KubeObjects.Clone((await cluster.Cluster.GetAsync<Queue>(null, "research"))!);

        research.Spec.ParentQueue = "team-a";
        var error = await Assert.ThrowsAsync<ClusterException>(() => cluster.Cluster.ReplaceAsync(research).AsTask());

        Assert.Contains("makes a loop (research -> team-a -> research)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WhenAQueueHasNoResources_IsRejectedAsKaiDoes()
    {
        await using var cluster = Admitting();

        var message = await RejectionAsync(cluster, """
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: empty}
            spec: {}
            """);

        Assert.Contains("resources must be specified", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WhenPodGroupSubgroupsRepeatANameOrLoop_IsRejected()
    {
        await using var cluster = Admitting();

        var message = await RejectionAsync(cluster, """
            apiVersion: scheduling.run.ai/v2alpha2
            kind: PodGroup
            metadata: {name: pg}
            spec:
              minMember: 2
              queue: default-queue
              subGroups:
              - {name: workers, minMember: 1}
              - {name: workers, minMember: 1}
            """);

        Assert.Contains("subgroup names must be unique", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Controllers_WhenAJobTemplateAsksForAnInvalidShare_ReportFailedCreateAndCreateNoPod()
    {
        await using var cluster = Admitting();
        await cluster.ApplyAsync("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: bad-share}
            spec:
              template:
                metadata: {annotations: {gpu-fraction: "3"}}
                spec:
                  schedulerName: kai-scheduler
                  restartPolicy: Never
                  containers: [{name: main, image: ubuntu}]
            """);

        await cluster.RunControllersAndGroupAsync();

        Assert.Empty(await cluster.PodsAsync());
        var failure = Assert.Single(await cluster.EventsAsync("FailedCreate"));
        Assert.Contains("gpu-fraction is \"3\"", failure, StringComparison.Ordinal);
    }
}
