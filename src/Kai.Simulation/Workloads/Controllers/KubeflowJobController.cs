using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Kubeflow's training operators (PyTorchJob, TFJob, XGBoostJob, JAXJob) and MPI operator (MPIJob), for a
/// simulation: one pod per replica of every replica type, <c>&lt;job&gt;-&lt;type&gt;-&lt;index&gt;</c> (an MPIJob's
/// launcher is <c>&lt;job&gt;-launcher</c>), labelled as the operators label them — <c>training.kubeflow.org/job-name</c>,
/// <c>replica-type</c> (lower case), <c>replica-index</c>, <c>operator-name</c> and <c>job-role</c> (master or launcher) —
/// which KAI's pod-grouper matches. A deleted pod is created again under its name; a failed pod fails the job unless
/// its restartPolicy retries it (OnFailure restarts in place, ExitCode recreates it on exit codes 128 and above, as
/// the operator treats them as retryable), and <c>runPolicy.backoffLimit</c> caps the retries. The job succeeds when
/// its master (Master, Chief or MPI launcher) succeeds, or with none, when every worker has; <c>runPolicy.cleanPodPolicy</c>
/// then removes running (Running) or all (All) pods. An MPIJob with <c>launcherCreationPolicy: WaitForWorkersReady</c>
/// gets its launcher once every worker is ready. <c>runPolicy.suspend</c> deletes the pods.
/// </summary>
internal sealed class KubeflowJobController : IWorkloadController
{
    public const string JobNameLabel = "training.kubeflow.org/job-name";
    public const string OperatorNameLabel = "training.kubeflow.org/operator-name";
    public const string ReplicaTypeLabel = "training.kubeflow.org/replica-type";
    public const string ReplicaIndexLabel = "training.kubeflow.org/replica-index";
    public const string JobRoleLabel = "training.kubeflow.org/job-role";

    private static readonly Dictionary<KindKey, Flavour> Flavours = new()
    {
        [WorkloadKinds.PyTorchJob] = new("pytorchReplicaSpecs", "pytorchjob-controller", ["Master"]),
        [WorkloadKinds.TFJob] = new("tfReplicaSpecs", "tfjob-controller", ["Chief", "Master"]),
        [WorkloadKinds.XGBoostJob] = new("xgbReplicaSpecs", "xgboostjob-controller", ["Master"]),
        [WorkloadKinds.JaxJob] = new("jaxReplicaSpecs", "jaxjob-controller", []),
        [WorkloadKinds.MpiJob] = new("mpiReplicaSpecs", "mpi-operator", ["Launcher"]),
    };

    public IReadOnlyList<KindKey> Kinds => [.. Flavours.Keys];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var job = (GenericObject)owner;
        var kind = context.KindOf(job);
        var view = ObjectView.Of(job, context.Cluster.Kinds);
        var status = WorkloadContext.StatusOf(job);
        var pods = context.Children<V1Pod>(job).ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        context.DeletedPods(job); // a deleted pod is simply created again
        if (Finished(status) is not null)
        {
            return;
        }

        var run = new Run(job, kind, Flavours[kind], view, Json.Fields(view.At("spec") ?? default, Flavours[kind].SpecsField), pods, context);
        if (view.Boolean("spec", "runPolicy", "suspend") == true)
        {
            await SuspendAsync(run, status).ConfigureAwait(false);
            return;
        }

        status["startTime"] ??= Time(context.Now);
        SetCondition(status, "Created", "True", "JobCreated", $"{kind.Kind} {job.Metadata.Name} is created.", context.Now, keepTime: true);
        var replicaStatuses = new JsonObject();
        foreach (var (type, spec) in run.Specs)
        {
            if (await ReconcileReplicaTypeAsync(run, type, spec).ConfigureAwait(false) is { } failure)
            {
                await FailAsync(job, status, failure, pods.Values, context).ConfigureAwait(false);
                return;
            }

            replicaStatuses[type] = run.Counts.ToJson();
        }

        status["replicaStatuses"] = replicaStatuses;
        if (view.Int64("spec", "runPolicy", "backoffLimit") is { } backoffLimit && run.Failures > backoffLimit)
        {
            await FailAsync(job, status, $"{kind.Kind} {job.Metadata.Name} has failed because it has reached the specified backoff limit", pods.Values, context).ConfigureAwait(false);
            return;
        }

        await ConcludeAsync(run, status, replicaStatuses).ConfigureAwait(false);
        await context.WriteStatusAsync(job, status).ConfigureAwait(false);
    }

    /// <summary><c>runPolicy.suspend</c>: the job's running pods go, and it says it is suspended.</summary>
    private static async ValueTask SuspendAsync(Run run, JsonObject status)
    {
        foreach (var pod in run.Pods.Values.Where(PodStates.IsActive))
        {
            await run.Context.DeleteAsync(pod).ConfigureAwait(false);
        }

        SetCondition(status, "Suspended", "True", "JobSuspended", $"{run.Kind.Kind} {run.Job.Metadata.Name} is suspended.", run.Context.Now);
        await run.Context.WriteStatusAsync(run.Job, status).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the missing pods of one replica type and counts its pods (into <see cref="Run.Counts"/>); a failed pod is
    /// retried per the restart policy. Returns why the job fails, or null.
    /// </summary>
    private static async ValueTask<string?> ReconcileReplicaTypeAsync(Run run, string type, JsonElement spec)
    {
        var (job, kind, context) = (run.Job, run.Kind, run.Context);
        var replicas = (int)(Json.Int64(spec, "replicas") ?? 1);
        var restartPolicy = Json.String(spec, "restartPolicy") ?? "OnFailure";
        run.Counts = new ReplicaCounts();
        for (var index = 0; index < replicas; index++)
        {
            if (!run.Pods.TryGetValue(PodName(job, kind, type, index), out var pod))
            {
                if (type == "Launcher" && run.View.String("spec", "launcherCreationPolicy") == "WaitForWorkersReady" && !AllWorkersReady(run.Specs, job, kind, run.Pods))
                {
                    continue;
                }

                await context.CreatePodAsync(job, ReplicaPod(job, kind, run.Flavour, type, index, spec, restartPolicy)).ConfigureAwait(false);
                run.Counts.Active++;
                continue;
            }

            run.Failures += restartPolicy == "OnFailure" ? PodStates.Restarts(pod) : 0;
            if (PodStates.IsSucceeded(pod))
            {
                run.Counts.Succeeded++;
            }
            else if (PodStates.IsFailed(pod))
            {
                run.Counts.Failed++;
                run.Failures++;
                if (restartPolicy == "ExitCode" && IsRetryable(pod))
                {
                    await context.DeleteAsync(pod).ConfigureAwait(false); // created again once gone
                }
                else if (restartPolicy is "Never" or "ExitCode")
                {
                    return $"{kind.Kind} {job.Metadata.Name} is failed because {type} replica {index} failed.";
                }
            }
            else if (PodStates.IsActive(pod))
            {
                run.Counts.Active++;
                run.WorkersReady &= type == "Launcher" || PodStates.IsReady(pod);
            }
        }

        return null;
    }

    /// <summary>Succeeded (its pods cleaned per cleanPodPolicy), or running once every worker is ready.</summary>
    private static async ValueTask ConcludeAsync(Run run, JsonObject status, JsonObject replicaStatuses)
    {
        var (kind, name, now) = (run.Kind.Kind, run.Job.Metadata.Name, run.Context.Now);
        if (Succeeded(run.Flavour, run.Specs, replicaStatuses))
        {
            SetCondition(status, "Succeeded", "True", "JobSucceeded", $"{kind} {name} is successfully completed.", now);
            SetCondition(status, "Running", "False", "JobSucceeded", $"{kind} {name} is successfully completed.", now);
            status["completionTime"] = Time(now);
            await CleanPodsAsync(run.View, run.Pods.Values, run.Context).ConfigureAwait(false);
        }
        else if (run.WorkersReady && run.Pods.Count > 0)
        {
            SetCondition(status, "Running", "True", "JobRunning", $"{kind} {name} is running.", now, keepTime: true);
        }
    }

    /// <summary>The pod name the operator gives a replica.</summary>
    public static string PodName(IKubernetesObject<V1ObjectMeta> job, KindKey kind, string type, int index) =>
        kind == WorkloadKinds.MpiJob && type == "Launcher"
            ? $"{job.Metadata.Name}-launcher"
            : $"{job.Metadata.Name}-{type.ToLowerInvariant()}-{index.ToString(CultureInfo.InvariantCulture)}";

    private static V1Pod ReplicaPod(GenericObject job, KindKey kind, Flavour flavour, string type, int index, JsonElement spec, string restartPolicy)
    {
        var template = Json.At(spec, "template") is { } t ? Json.Read<V1PodTemplateSpec>(t) : null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [JobNameLabel] = job.Metadata.Name,
            [OperatorNameLabel] = flavour.Operator,
            [ReplicaTypeLabel] = type.ToLowerInvariant(),
            [ReplicaIndexLabel] = index.ToString(CultureInfo.InvariantCulture),
        };
        if (flavour.MasterTypes.Contains(type))
        {
            labels[JobRoleLabel] = kind == WorkloadKinds.MpiJob ? "launcher" : "master";
        }
        else if (kind == WorkloadKinds.MpiJob)
        {
            labels[JobRoleLabel] = "worker";
        }

        var pod = PodTemplates.Pod(template, job, kind, PodName(job, kind, type, index), null, labels);
        pod.Spec.RestartPolicy = restartPolicy is "ExitCode" ? "Never" : restartPolicy;
        return pod;
    }

    private static bool AllWorkersReady(IReadOnlyList<(string Name, JsonElement Value)> specs, GenericObject job, KindKey kind, Dictionary<string, V1Pod> pods)
    {
        foreach (var (type, spec) in specs.Where(s => s.Name == "Worker"))
        {
            var replicas = (int)(Json.Int64(spec, "replicas") ?? 1);
            for (var i = 0; i < replicas; i++)
            {
                if (!pods.TryGetValue(PodName(job, kind, type, i), out var pod) || !PodStates.IsReady(pod))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // Exit codes from signals (128 and above) are retryable, as the operator's ExitCode policy reads them.
    private static bool IsRetryable(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Any(c => c.State?.Terminated?.ExitCode >= 128) == true;

    private static bool Succeeded(Flavour flavour, IReadOnlyList<(string Name, JsonElement Value)> specs, JsonObject replicaStatuses)
    {
        var master = specs.Select(s => s.Name).FirstOrDefault(flavour.MasterTypes.Contains);
        if (master is not null)
        {
            return Count(replicaStatuses, master, "succeeded") >= (Json.Int64(specs.First(s => s.Name == master).Value, "replicas") ?? 1);
        }

        return specs.Count > 0 && specs.All(s => Count(replicaStatuses, s.Name, "succeeded") >= (Json.Int64(s.Value, "replicas") ?? 1));
    }

    private static long Count(JsonObject statuses, string type, string field) =>
        statuses[type]?[field]?.GetValue<long>() ?? 0;

    private static async ValueTask FailAsync(GenericObject job, JsonObject status, string message, IEnumerable<V1Pod> pods, WorkloadContext context)
    {
        SetCondition(status, "Failed", "True", "JobFailed", message, context.Now);
        SetCondition(status, "Running", "False", "JobFailed", message, context.Now);
        status["completionTime"] = Time(context.Now);
        foreach (var pod in pods.Where(PodStates.IsActive))
        {
            await context.DeleteAsync(pod).ConfigureAwait(false);
        }

        await context.WriteStatusAsync(job, status).ConfigureAwait(false);
        await context.EventAsync(job, EventType.Warning, "JobFailed", message).ConfigureAwait(false);
    }

    private static async ValueTask CleanPodsAsync(ObjectView job, IEnumerable<V1Pod> pods, WorkloadContext context)
    {
        var policy = job.String("spec", "runPolicy", "cleanPodPolicy") ?? job.String("spec", "cleanPodPolicy") ?? "None";
        foreach (var pod in pods.Where(p => policy == "All" || (policy == "Running" && PodStates.IsActive(p))))
        {
            await context.DeleteAsync(pod).ConfigureAwait(false);
        }
    }

    private static string? Finished(JsonObject status) =>
        status["conditions"] is JsonArray conditions
            ? conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] is "Succeeded" or "Failed" && (string?)c["status"] == "True")?["type"]?.GetValue<string>()
            : null;

    /// <summary>Sets a condition as the operators write them (type, status, reason, message, lastUpdateTime, lastTransitionTime).</summary>
    public static void SetCondition(JsonObject status, string type, string value, string reason, string message, DateTimeOffset now, bool keepTime = false)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        if (existing is not null && keepTime && (string?)existing["status"] == value)
        {
            status["conditions"] = conditions;
            return;
        }

        var list = new JsonArray([.. conditions.OfType<JsonObject>().Where(c => (string?)c["type"] != type).Select(c => c.DeepClone())]);
        list.Add(new JsonObject
        {
            ["type"] = type,
            ["status"] = value,
            ["reason"] = reason,
            ["message"] = message,
            ["lastUpdateTime"] = Time(now),
            ["lastTransitionTime"] = Time(now),
        });
        status["conditions"] = list;
    }

    public static string Time(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record Flavour(string SpecsField, string Operator, string[] MasterTypes);

    private sealed class ReplicaCounts
    {
        public long Active { get; set; }

        public long Succeeded { get; set; }

        public long Failed { get; set; }

        public JsonObject ToJson() => new() { ["active"] = Active, ["succeeded"] = Succeeded, ["failed"] = Failed };
    }

    /// <summary>One reconciliation of a job: what it reads, and what its replica types add up to.</summary>
    private sealed class Run(
        GenericObject job, KindKey kind, Flavour flavour, ObjectView view, IReadOnlyList<(string Name, JsonElement Value)> specs, Dictionary<string, V1Pod> pods, WorkloadContext context)
    {
        public GenericObject Job { get; } = job;

        public KindKey Kind { get; } = kind;

        public Flavour Flavour { get; } = flavour;

        public ObjectView View { get; } = view;

        public IReadOnlyList<(string Name, JsonElement Value)> Specs { get; } = specs;

        public Dictionary<string, V1Pod> Pods { get; } = pods;

        public WorkloadContext Context { get; } = context;

        /// <summary>The counts of the replica type being reconciled.</summary>
        public ReplicaCounts Counts { get; set; } = new();

        /// <summary>Failed pods and in-place restarts so far, against runPolicy.backoffLimit.</summary>
        public long Failures { get; set; }

        public bool WorkersReady { get; set; } = true;
    }
}
