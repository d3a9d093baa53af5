using k8s.Models;

namespace Kai.Controllers.Tests.Grouping;

/// <summary>Kubeflow's training jobs and notebooks, grouped as KAI's pod-grouper groups them.</summary>
public sealed class KubeflowGrouperTests
{
    private const string PyTorchJob = """
        apiVersion: kubeflow.org/v1
        kind: PyTorchJob
        metadata:
          name: mnist
          labels: {kai.scheduler/queue: research}
        spec:
          pytorchReplicaSpecs:
            Master:
              replicas: 1
              template:
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: pytorch, image: pytorch, resources: {limits: {nvidia.com/gpu: 1}}}]
            Worker:
              replicas: 3
              template:
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: pytorch, image: pytorch, resources: {limits: {nvidia.com/gpu: 1}}}]
        """;

    [Fact]
    public async Task RunOnceAsync_WhenPyTorchJob_MakesOneGangWithMasterAndWorkerSubgroups()
    {
        await using var cluster = new TestCluster();
        var job = (await cluster.ApplyAsync(PyTorchJob))[0];

        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-mnist-{job.Metadata.Uid}", 4, "research", "train"), (group.Metadata.Name, group.Spec.MinMember, group.Spec.Queue, group.Spec.PriorityClassName));
        Assert.Equal(["master:1", "worker:3"], group.Spec.SubGroups!.Select(s => $"{s.Name}:{s.MinMember}"));
        Assert.Equal("master", (await cluster.PodAsync("mnist-master-0")).Metadata.Labels["kai.scheduler/subgroup-name"]);
        Assert.Equal("worker", (await cluster.PodAsync("mnist-worker-2")).Metadata.Labels["kai.scheduler/subgroup-name"]);
        Assert.All(await cluster.PodsAsync(), p => Assert.Equal(group.Metadata.Name, p.Metadata.Annotations["pod-group-name"]));
    }

    [Fact]
    public async Task RunOnceAsync_WhenPyTorchJobIsElastic_TakesMinMemberFromMinReplicas()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync(PyTorchJob.Replace("spec:\n  pytorchReplicaSpecs:", "spec:\n  elasticPolicy: {minReplicas: 2, maxReplicas: 4}\n  pytorchReplicaSpecs:", StringComparison.Ordinal));

        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(2, group.Spec.MinMember);
        Assert.Equal(["master:1", "worker:1"], group.Spec.SubGroups!.Select(s => $"{s.Name}:{s.MinMember}"));
    }

    [Fact]
    public async Task RunOnceAsync_WhenSchedulingPolicyMinAvailable_UsesItOverElasticAndReplicas()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync(PyTorchJob.Replace("spec:\n  pytorchReplicaSpecs:", "spec:\n  elasticPolicy: {minReplicas: 2}\n  runPolicy: {schedulingPolicy: {minAvailable: 3}}\n  pytorchReplicaSpecs:", StringComparison.Ordinal));

        await cluster.RunControllersAndGroupAsync();

        Assert.Equal(3, Assert.Single(await cluster.PodGroupsAsync()).Spec.MinMember);
    }

    [Fact]
    public async Task RunOnceAsync_WhenWorkerTemplateHasASegmentSize_SplitsWorkersIntoChildSubgroups()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync(PyTorchJob.Replace(
            "    Worker:\n      replicas: 3\n      template:\n",
            "    Worker:\n      replicas: 3\n      template:\n        metadata: {annotations: {kai.scheduler/segment-size: \"2\"}}\n",
            StringComparison.Ordinal));

        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(["master:1:", "worker:3:", "worker-0:2:worker", "worker-1:1:worker"], group.Spec.SubGroups!.Select(s => $"{s.Name}:{s.MinMember}:{s.Parent}"));
        Assert.Equal("worker-1", (await cluster.PodAsync("mnist-worker-2")).Metadata.Labels["kai.scheduler/subgroup-name"]);
    }

    [Theory]
    [InlineData("TFJob", "tfReplicaSpecs", "Chief", "Worker", 3)]
    [InlineData("XGBoostJob", "xgbReplicaSpecs", "Master", "Worker", 3)]
    [InlineData("JAXJob", "jaxReplicaSpecs", "Worker", null, 2)]
    [InlineData("MPIJob", "mpiReplicaSpecs", "Launcher", "Worker", 3)]
    public async Task RunOnceAsync_WhenKubeflowJob_SumsTheReplicas(string kind, string field, string first, string? second, int expected)
    {
        await using var cluster = new TestCluster();
        var apiVersion = kind == "MPIJob" ? "kubeflow.org/v2beta1" : "kubeflow.org/v1";
        var replicas = second is null ? Replica(first, 2) : Replica(first, 1) + Replica(second, 2);
        var job = (await cluster.ApplyAsync($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: j}}\nspec:\n  {field}:\n{replicas}"))[0];

        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-j-{job.Metadata.Uid}", expected), (group.Metadata.Name, group.Spec.MinMember));
        Assert.Equal(expected, (await cluster.PodsAsync()).Count);
    }

    [Fact]
    public async Task RunOnceAsync_WhenMpiLauncherWaitsForWorkers_LeavesTheLauncherOutOfMinMemberUntilItExists()
    {
        await using var cluster = new TestCluster();
        await cluster.ApplyAsync($"apiVersion: kubeflow.org/v2beta1\nkind: MPIJob\nmetadata: {{name: j}}\nspec:\n  launcherCreationPolicy: WaitForWorkersReady\n  mpiReplicaSpecs:\n{Replica("Launcher", 1)}{Replica("Worker", 2)}");

        await cluster.RunControllersAndGroupAsync();

        Assert.Equal(2, (await cluster.PodsAsync()).Count);
        Assert.Equal(2, Assert.Single(await cluster.PodGroupsAsync()).Spec.MinMember);
    }

    [Fact]
    public async Task RunOnceAsync_WhenXGBoostJobHasNoWorker_WarnsOnThePod()
    {
        await using var cluster = new TestCluster();
        var job = await cluster.Cluster.CreateAsync(new Kai.Cluster.Port.GenericObject
        {
            ApiVersion = "kubeflow.org/v1",
            Kind = "XGBoostJob",
            Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "default" },
            Fields = new Dictionary<string, System.Text.Json.JsonElement> { ["spec"] = System.Text.Json.JsonDocument.Parse("""{"xgbReplicaSpecs": {"Master": {"replicas": 1}}}""").RootElement },
        });
        await cluster.OwnedPodAsync(job, "x-master-0");

        await cluster.GroupAsync();

        Assert.Empty(await cluster.PodGroupsAsync());
        Assert.Equal(["the type of the job x doesn't have a Worker replica spec which is required. Please fix the replica field"], await cluster.EventsAsync("PodGrouperWarning"));
    }

    [Fact]
    public async Task RunOnceAsync_WhenNotebook_UsesPriorityBuild()
    {
        await using var cluster = new TestCluster();
        var notebook = (await cluster.ApplyAsync("""
            apiVersion: kubeflow.org/v1beta1
            kind: Notebook
            metadata: {name: lab}
            spec:
              template:
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: notebook, image: jupyter}]
            """))[0];

        await cluster.RunControllersAndGroupAsync();
        await cluster.RunControllersAndGroupAsync();

        var group = Assert.Single(await cluster.PodGroupsAsync());
        Assert.Equal(($"pg-lab-{notebook.Metadata.Uid}", "build", 1), (group.Metadata.Name, group.Spec.PriorityClassName, group.Spec.MinMember));
        Assert.Equal("lab-0", Assert.Single(await cluster.PodsAsync()).Metadata.Name);
    }

    private static string Replica(string type, int replicas) =>
        $"    {type}:\n      replicas: {replicas}\n      template:\n        spec:\n          schedulerName: kai-scheduler\n          containers: [{{name: main, image: ubuntu}}]\n";

}
