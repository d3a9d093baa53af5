using k8s.Models;
using Kai.Cluster.Manifests;

namespace Kai.Simulation.Tests.Workloads;

/// <summary>
/// Workloads end to end on the embedded cluster: their controllers create the pods, the pod-grouper groups them, the
/// scheduler places them as gangs, evicted pods come back from their controller, and pods with a run time finish.
/// </summary>
public sealed class WorkloadSimulationTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Node(string name, int gpus) => $"""
        apiVersion: v1
        kind: Node
        metadata: {"{"}name: {name}{"}"}
        status:
          allocatable: {"{"}cpu: "32", memory: 256Gi, pods: "110", nvidia.com/gpu: "{gpus}"{"}"}
        ---

        """;

    private const string PyTorchJob = """
        apiVersion: kubeflow.org/v1
        kind: PyTorchJob
        metadata: {name: mnist}
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
    public async Task RunAsync_WhenAPyTorchJobFits_PlacesAllItsPodsTogether()
    {
        var result = await RunAsync(Node("n0", 4) + PyTorchJob, cycles: 2);

        Assert.Equal(4, result.Report.Pods.Count);
        Assert.All(result.Report.Pods, p => Assert.Equal(("Running", "n0"), (p.Status, p.Node)));
        var group = Assert.Single(result.Report.PodGroups);
        Assert.Equal((4, "Running"), (group.MinMember, group.Status));
    }

    [Fact]
    public async Task RunAsync_WhenAJobsPodsRunOnOneNode_TheyShareOneStoredSpec_AndTheTemplateStaysUnbound()
    {
        var yaml = Node("n0", 4) + Job("wide", gpus: 1, runtime: null).Replace("parallelism: 1", "parallelism: 3", StringComparison.Ordinal).Replace("completions: 1", "completions: 3", StringComparison.Ordinal);

        var result = await RunAsync(yaml, cycles: 2);

        var pods = (await result.Cluster.ListAsync<V1Pod>()).Items;
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("n0", p.Spec.NodeName));
        Assert.All(pods, p => Assert.Same(pods[0].Spec, p.Spec));
        var job = (await result.Cluster.GetAsync<V1Job>("default", "wide"))!;
        Assert.Null(job.Spec.Template.Spec.NodeName);
        Assert.Null(job.Spec.Template.Spec.RuntimeClassName);
        Assert.Same(job.Spec.Template.Spec.Containers, pods[0].Spec.Containers);
    }

    [Fact]
    public async Task RunAsync_WhenAPyTorchJobDoesNotFitWhole_PlacesNoneOfItsPods()
    {
        var result = await RunAsync(Node("n0", 3) + PyTorchJob, cycles: 2);

        Assert.All(result.Report.Pods, p => Assert.Equal("Pending", p.Status));
        Assert.Null(result.Report.Pods.FirstOrDefault(p => p.Node is not null));
    }

    [Fact]
    public async Task RunAsync_WhenAJobHasARunTime_CompletesAndFreesItsGpusForTheNextJob()
    {
        var yaml = Node("n0", 1) + Job("first", gpus: 1, runtime: "1m") + "---\n" + Job("second", gpus: 1, runtime: null, priority: "train");

        var result = await RunAsync(yaml, cycles: 5);

        var first = (await result.Cluster.GetAsync<V1Job>("default", "first"))!;
        Assert.Contains(first.Status!.Conditions!, c => c.Type == "Complete" && c.Status == "True");
        Assert.Equal(1, first.Status.Succeeded);
        Assert.Equal("Succeeded", Assert.Single(result.Report.Pods, p => p.Name.StartsWith("first-", StringComparison.Ordinal)).Status);
        Assert.Equal(("Running", "n0"), Pod(result, "second-"));
    }

    [Fact]
    public async Task RunAsync_WhenAJobsPodIsEvicted_TheJobCreatesAPendingPodThatRunsOnceThereIsRoom()
    {
        // "low" runs on both GPUs; "high" (higher priority, same queue) preempts it and runs for two minutes.
        var yaml = Node("n0", 2) + RunningJob("low", pods: 2) + "---\n" + Job("high", gpus: 2, runtime: "2m", priority: "build-preemptible");

        var afterEviction = await RunAsync(yaml, cycles: 3);
        var atTheEnd = await RunAsync(yaml, cycles: 9);

        var recreated = afterEviction.Report.Pods.Where(p => p.Name.StartsWith("low-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, recreated.Count);
        Assert.All(recreated, p => Assert.Equal("Pending", p.Status));
        Assert.DoesNotContain(recreated, p => p.Name is "low-0" or "low-1");
        var low = (await atTheEnd.Cluster.GetAsync<V1Job>("default", "low"))!;
        Assert.Equal(2, low.Status!.Failed); // Kubernetes counts a pod deleted before it finished as failed
        Assert.All(atTheEnd.Report.Pods.Where(p => p.Name.StartsWith("low-", StringComparison.Ordinal)), p => Assert.Equal("Running", p.Status));
        Assert.Equal("Succeeded", Pod(atTheEnd, "high-").Status);
    }

    [Fact]
    public async Task RunAsync_WhenAPyTorchJobsPodsAreEvicted_TheOperatorRecreatesThemByNameAndTheGangRunsAgain()
    {
        var yaml = Node("n0", 4) + RunningPyTorchJob() + "---\n" + Job("urgent", gpus: 4, runtime: "2m", priority: "build-preemptible");

        var afterEviction = await RunAsync(yaml, cycles: 3);
        var atTheEnd = await RunAsync(yaml, cycles: 9);

        var recreated = afterEviction.Report.Pods.Where(p => p.Name.StartsWith("mnist-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["mnist-master-0", "mnist-worker-0", "mnist-worker-1", "mnist-worker-2"], recreated.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(recreated, p => Assert.Equal("Pending", p.Status));
        Assert.All((await afterEviction.Cluster.ListAsync<V1Pod>()).Items.Where(p => p.Metadata.Name.StartsWith("mnist-", StringComparison.Ordinal)), p => Assert.DoesNotContain("-first", p.Metadata.Uid, StringComparison.Ordinal));
        var group = Assert.Single(atTheEnd.Report.PodGroups, g => g.Name.StartsWith("pg-mnist-", StringComparison.Ordinal));
        Assert.Equal("Running", group.Status);
        Assert.All(atTheEnd.Report.Pods.Where(p => p.Name.StartsWith("mnist-", StringComparison.Ordinal)), p => Assert.Equal("Running", p.Status));
    }

    [Fact]
    public async Task RunAsync_WhenAJobsPodsKeepFailing_FailsTheJobAfterItsBackoffLimit()
    {
        const string yaml = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: flaky}
            spec:
              backoffLimit: 1
              template:
                metadata:
                  annotations: {kai.scheduler/simulated-runtime: 10s, kai.scheduler/simulated-exit-code: "1"}
                spec:
                  schedulerName: kai-scheduler
                  restartPolicy: Never
                  containers: [{name: main, image: ubuntu, resources: {requests: {cpu: "1"}}}]
            """;

        var result = await RunAsync(yaml, cycles: 8);

        var job = (await result.Cluster.GetAsync<V1Job>("default", "flaky"))!;
        var failed = Assert.Single(job.Status!.Conditions!, c => c.Type == "Failed");
        Assert.Equal(("True", "BackoffLimitExceeded"), (failed.Status, failed.Reason));
        Assert.Equal(2, job.Status.Failed);
    }

    [Fact]
    public async Task RunAsync_WhenARestartPolicyIsOnFailure_RestartsTheContainerInPlace()
    {
        const string yaml = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: retry}
            spec:
              backoffLimit: 10
              template:
                metadata:
                  annotations: {kai.scheduler/simulated-runtime: 10s, kai.scheduler/simulated-exit-code: "1"}
                spec:
                  schedulerName: kai-scheduler
                  restartPolicy: OnFailure
                  containers: [{name: main, image: ubuntu, resources: {requests: {cpu: "1"}}}]
            """;

        var result = await RunAsync(yaml, cycles: 4);

        var pod = Assert.Single((await result.Cluster.ListAsync<V1Pod>()).Items);
        Assert.Equal("Running", pod.Status!.Phase);
        Assert.Equal(2, pod.Status.ContainerStatuses![0].RestartCount);
    }

    [Fact]
    public async Task RunAsync_WhenADeploymentHasReplicas_RunsThemThroughAReplicaSet()
    {
        // Deployments are inference (non-preemptible) by default, so they need a queue with quota.
        const string yaml = """
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: serving}
            spec:
              resources:
                cpu: {quota: 8000, limit: -1, overQuotaWeight: 1}
                gpu: {quota: 0, limit: -1, overQuotaWeight: 1}
                memory: {quota: -1, limit: -1, overQuotaWeight: 1}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {kai.scheduler/queue: serving}}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: main, image: nginx, resources: {requests: {cpu: "1"}}}]
            """;

        var result = await RunAsync(yaml, cycles: 2);

        var set = Assert.Single((await result.Cluster.ListAsync<V1ReplicaSet>()).Items);
        Assert.StartsWith("web-", set.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(3, result.Report.Pods.Count);
        Assert.All(result.Report.Pods, p => Assert.StartsWith(set.Metadata.Name + "-", p.Name, StringComparison.Ordinal));
        Assert.All(result.Report.Pods, p => Assert.Equal("Running", p.Status));
        Assert.Equal(3, (await result.Cluster.GetAsync<V1Deployment>("default", "web"))!.Status!.ReadyReplicas);
    }

    [Fact]
    public async Task RunAsync_WhenAStatefulSetIsOrderedReady_StartsItsPodsOneAtATimeByOrdinal()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              replicas: 3
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  schedulerName: kai-scheduler
                  containers: [{name: main, image: postgres, resources: {requests: {cpu: "1"}}}]
            """;

        var early = await RunAsync(yaml, cycles: 2);
        var later = await RunAsync(yaml, cycles: 6);

        Assert.Equal(["db-0", "db-1"], early.Report.Pods.Select(p => p.Name));
        Assert.Equal(["db-0", "db-1", "db-2"], later.Report.Pods.Select(p => p.Name));
        Assert.All(later.Report.Pods, p => Assert.Equal("Running", p.Status));
    }

    [Fact]
    public async Task RunAsync_WhenAJobSetRuns_EachReplicaOfEachReplicatedJobIsAJob()
    {
        const string yaml = """
            apiVersion: jobset.x-k8s.io/v1alpha2
            kind: JobSet
            metadata: {name: js}
            spec:
              replicatedJobs:
                - name: workers
                  replicas: 2
                  template:
                    spec:
                      parallelism: 2
                      completions: 2
                      template:
                        spec:
                          schedulerName: kai-scheduler
                          containers: [{name: main, image: ubuntu, resources: {requests: {cpu: "1"}}}]
            """;

        var result = await RunAsync(yaml, cycles: 2);

        Assert.Equal(["js-workers-0", "js-workers-1"], (await result.Cluster.ListAsync<V1Job>()).Items.Select(j => j.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal(4, result.Report.Pods.Count(p => p.Status == "Running"));
        Assert.Equal("Running", Assert.Single(result.Report.PodGroups).Status);
    }

    private static async Task<SimulationResult> RunAsync(string yaml, int cycles)
    {
        var manifests = ManifestLoader.LoadText(yaml, "workloads.yaml");
        Assert.Empty(manifests.Errors);
        return await SimulationRunner.RunAsync(manifests, new SimulationOptions { Start = Start, Cycles = cycles });
    }

    private static (string Status, string? Node) Pod(SimulationResult result, string prefix)
    {
        var pod = Assert.Single(result.Report.Pods, p => p.Name.StartsWith(prefix, StringComparison.Ordinal));
        return (pod.Status, pod.Node);
    }

    private static string Job(string name, int gpus, string? runtime, string priority = "train") => """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: NAME}
        spec:
          parallelism: 1
          completions: 1
          template:
            metadata:
              labels: {priorityClassName: PRIORITY}
              annotations: {RUNTIME}
            spec:
              schedulerName: kai-scheduler
              restartPolicy: Never
              containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: GPUS}}}]

        """
        .Replace("NAME", name, StringComparison.Ordinal)
        .Replace("PRIORITY", priority, StringComparison.Ordinal)
        .Replace("RUNTIME", runtime is null ? string.Empty : $"kai.scheduler/simulated-runtime: {runtime}", StringComparison.Ordinal)
        .Replace("GPUS", gpus.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    // A Job whose pods already run on n0 (as kubectl get -o yaml would show them).
    private static string RunningJob(string name, int pods)
    {
        var yaml = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: NAME, uid: NAME-uid}
            spec:
              parallelism: PODS
              completions: PODS
              template:
                spec:
                  schedulerName: kai-scheduler
                  restartPolicy: Never
                  containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: 1}}}]

            """.Replace("NAME", name, StringComparison.Ordinal).Replace("PODS", pods.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        for (var i = 0; i < pods; i++)
        {
            yaml += """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: NAME-INDEX
                  uid: NAME-INDEX-first
                  labels: {batch.kubernetes.io/job-name: NAME}
                  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: NAME, uid: NAME-uid, controller: true}]
                spec:
                  schedulerName: kai-scheduler
                  restartPolicy: Never
                  nodeName: n0
                  containers: [{name: main, image: ubuntu, resources: {limits: {nvidia.com/gpu: 1}}}]
                status: {phase: Running}

                """.Replace("NAME", name, StringComparison.Ordinal).Replace("INDEX", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return yaml;
    }

    private static string RunningPyTorchJob()
    {
        var yaml = PyTorchJob.Replace("metadata: {name: mnist}", "metadata: {name: mnist, uid: mnist-uid}", StringComparison.Ordinal) + "\n";
        foreach (var (name, type, index) in new[] { ("mnist-master-0", "master", "0"), ("mnist-worker-0", "worker", "0"), ("mnist-worker-1", "worker", "1"), ("mnist-worker-2", "worker", "2") })
        {
            yaml += """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: NAME
                  uid: NAME-first
                  labels: {training.kubeflow.org/job-name: mnist, training.kubeflow.org/replica-type: TYPE, training.kubeflow.org/replica-index: "INDEX"}
                  ownerReferences: [{apiVersion: kubeflow.org/v1, kind: PyTorchJob, name: mnist, uid: mnist-uid, controller: true}]
                spec:
                  schedulerName: kai-scheduler
                  nodeName: n0
                  containers: [{name: pytorch, image: pytorch, resources: {limits: {nvidia.com/gpu: 1}}}]
                status: {phase: Running}

                """.Replace("NAME", name, StringComparison.Ordinal).Replace("TYPE", type, StringComparison.Ordinal).Replace("INDEX", index, StringComparison.Ordinal);
        }

        return yaml;
    }
}
