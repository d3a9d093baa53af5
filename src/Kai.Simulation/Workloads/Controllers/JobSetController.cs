using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// The JobSet controller, for a simulation: one Job <c>&lt;jobset&gt;-&lt;replicatedJob&gt;-&lt;index&gt;</c> per replica of
/// every replicatedJob (Indexed completion by default), whose pods carry the labels KAI's pod-grouper matches
/// (<c>jobset.sigs.k8s.io/jobset-name</c>, <c>replicatedjob-name</c>, <c>job-index</c>...). All replicatedJobs start
/// together: <c>startupPolicyOrder: InOrder</c> is not modelled (the scheduler places a JobSet's subgroups as one gang).
/// The JobSet completes when its replicatedJobs do (<c>successPolicy</c>: All, or Any of the targets), and fails when a
/// Job fails more often than <c>failurePolicy.maxRestarts</c> allows — each restart deletes and recreates every Job.
/// </summary>
internal sealed class JobSetController : IWorkloadController
{
    public const string JobSetNameLabel = "jobset.sigs.k8s.io/jobset-name";
    public const string JobSetUidLabel = "jobset.sigs.k8s.io/jobset-uid";
    public const string ReplicatedJobNameLabel = "jobset.sigs.k8s.io/replicatedjob-name";
    public const string ReplicatedJobReplicasLabel = "jobset.sigs.k8s.io/replicatedjob-replicas";
    public const string JobIndexLabel = "jobset.sigs.k8s.io/job-index";
    public const string JobGlobalIndexLabel = "jobset.sigs.k8s.io/job-global-index";
    public const string RestartAttemptAnnotation = "jobset.sigs.k8s.io/restart-attempt";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.JobSet];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var jobSet = (GenericObject)owner;
        var view = ObjectView.Of(jobSet, context.Cluster.Kinds);
        var status = WorkloadContext.StatusOf(jobSet);
        if (status["terminalState"] is not null)
        {
            return;
        }

        var restarts = (int)(status["restarts"]?.GetValue<long>() ?? 0);
        var jobs = context.Children<V1Job>(jobSet).ToDictionary(j => j.Metadata.Name, StringComparer.Ordinal);
        if (await DeleteEarlierAttemptsAsync(jobs.Values, restarts, context).ConfigureAwait(false))
        {
            return; // a restart: this attempt's Jobs are created once the earlier ones are gone
        }

        var replicatedJobs = view.At("spec", "replicatedJobs") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
        var attempt = new Attempt(jobSet, jobs, restarts, view.Boolean("spec", "suspend") == true);
        var statuses = new JsonArray();
        var completed = new Dictionary<string, bool>(StringComparer.Ordinal);
        var failed = false;
        foreach (var replicatedJob in replicatedJobs)
        {
            var (name, replicaStatus, allSucceeded, anyFailed) = await ReconcileReplicatedJobAsync(replicatedJob, attempt, context).ConfigureAwait(false);
            completed[name] = allSucceeded;
            failed |= anyFailed;
            statuses.Add(replicaStatus);
        }

        status["replicatedJobsStatus"] = statuses;
        await ConcludeAsync(jobSet, view, status, restarts, failed, completed, context).ConfigureAwait(false);
        await context.WriteStatusAsync(jobSet, status).ConfigureAwait(false);
    }

    /// <summary>Deletes the Jobs of attempts before <paramref name="restarts"/>; whether there were any.</summary>
    private static async ValueTask<bool> DeleteEarlierAttemptsAsync(IEnumerable<V1Job> jobs, int restarts, WorkloadContext context)
    {
        var stale = jobs.Where(j => AttemptOf(j) < restarts).ToList();
        foreach (var job in stale)
        {
            await context.DeleteAsync(job).ConfigureAwait(false);
        }

        return stale.Count > 0;
    }

    /// <summary>Creates the missing Jobs of one replicatedJob, passes the suspension on, and counts its Jobs' states.</summary>
    private static async ValueTask<(string Name, JsonObject Status, bool AllSucceeded, bool AnyFailed)> ReconcileReplicatedJobAsync(
        JsonElement replicatedJob, Attempt attempt, WorkloadContext context)
    {
        var name = Json.String(replicatedJob, "name") ?? string.Empty;
        var replicas = (int)(Json.Int64(replicatedJob, "replicas") ?? 1);
        var counts = (Ready: 0, Succeeded: 0, Failed: 0, Active: 0, Suspended: 0);
        for (var index = 0; index < replicas; index++, attempt.GlobalIndex++)
        {
            var jobName = $"{attempt.JobSet.Metadata.Name}-{name}-{index.ToString(CultureInfo.InvariantCulture)}";
            if (!attempt.Jobs.TryGetValue(jobName, out var job))
            {
                await context.CreateAsync(ChildJob(attempt.JobSet, replicatedJob, name, replicas, index, attempt.GlobalIndex, attempt.Restarts, attempt.Suspended)).ConfigureAwait(false);
                counts.Active++;
                continue;
            }

            if (job.Spec.Suspend != attempt.Suspended)
            {
                await context.ReplaceAsync(job with { Spec = job.Spec with { Suspend = attempt.Suspended } }).ConfigureAwait(false);
            }

            switch (job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")?.Type)
            {
                case "Complete":
                    counts.Succeeded++;
                    break;
                case "Failed":
                    counts.Failed++;
                    break;
                default:
                    counts.Active++;
                    counts.Ready += job.Status?.Ready == (job.Spec.Parallelism ?? 1) ? 1 : 0;
                    counts.Suspended += attempt.Suspended ? 1 : 0;
                    break;
            }
        }

        var status = new JsonObject
        {
            ["name"] = name,
            ["ready"] = counts.Ready,
            ["succeeded"] = counts.Succeeded,
            ["failed"] = counts.Failed,
            ["active"] = counts.Active,
            ["suspended"] = counts.Suspended,
        };
        return (name, status, counts.Succeeded == replicas, counts.Failed > 0);
    }

    /// <summary>A failed Job restarts the JobSet (within failurePolicy.maxRestarts) or fails it; the success policy completes it.</summary>
    private static async ValueTask ConcludeAsync(GenericObject jobSet, ObjectView view, JsonObject status, int restarts, bool failed, Dictionary<string, bool> completed, WorkloadContext context)
    {
        var now = context.Now;
        if (failed)
        {
            var maxRestarts = view.Int64("spec", "failurePolicy", "maxRestarts") ?? 0;
            if (restarts < maxRestarts)
            {
                status["restarts"] = restarts + 1;
                await context.EventAsync(jobSet, EventType.Normal, "Restarting", $"a Job failed; restarting the JobSet (attempt {restarts + 1} of {maxRestarts})").ConfigureAwait(false);
            }
            else
            {
                status["terminalState"] = "Failed";
                KubeflowJobController.SetCondition(status, "Failed", "True", "FailedJobs", "jobset failed due to one or more job failures", now);
            }
        }
        else if (Succeeded(view, completed))
        {
            status["terminalState"] = "Completed";
            KubeflowJobController.SetCondition(status, "Completed", "True", "AllJobsCompleted", "jobset completed successfully", now);
        }
    }

    private static bool Succeeded(ObjectView jobSet, Dictionary<string, bool> completed)
    {
        if (completed.Count == 0)
        {
            return false;
        }

        var targets = jobSet.At("spec", "successPolicy", "targetReplicatedJobs") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [.. completed.Keys];
        var considered = targets.Where(completed.ContainsKey).Select(t => completed[t]).ToList();
        return (jobSet.String("spec", "successPolicy", "operator") ?? "All") == "Any" ? considered.Any(c => c) : considered.Count > 0 && considered.All(c => c);
    }

    private static int AttemptOf(V1Job job) =>
        job.Metadata.Annotations?.TryGetValue(RestartAttemptAnnotation, out var text) == true && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var attempt) ? attempt : 0;

    private static V1Job ChildJob(GenericObject jobSet, JsonElement replicatedJob, string name, int replicas, int index, int global, int attempt, bool suspended)
    {
        var template = Json.At(replicatedJob, "template") is { } t ? Json.Read<V1JobTemplateSpec>(t) : new V1JobTemplateSpec();
        var spec = template.Spec ?? new V1JobSpec { Template = new V1PodTemplateSpec() };
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [JobSetNameLabel] = jobSet.Metadata.Name,
            [JobSetUidLabel] = jobSet.Metadata.Uid!,
            [ReplicatedJobNameLabel] = name,
            [ReplicatedJobReplicasLabel] = replicas.ToString(CultureInfo.InvariantCulture),
            [JobIndexLabel] = index.ToString(CultureInfo.InvariantCulture),
            [JobGlobalIndexLabel] = global.ToString(CultureInfo.InvariantCulture),
        };
        var annotations = new Dictionary<string, string>(labels, StringComparer.Ordinal)
        {
            [RestartAttemptAnnotation] = attempt.ToString(CultureInfo.InvariantCulture),
        };
        var podTemplate = spec.Template ?? new V1PodTemplateSpec();
        var podMetadata = podTemplate.Metadata ?? new V1ObjectMeta();
        var podSpec = podTemplate.Spec ?? new V1PodSpec { Containers = [] };
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = $"{jobSet.Metadata.Name}-{name}-{index.ToString(CultureInfo.InvariantCulture)}",
                NamespaceProperty = jobSet.Metadata.NamespaceProperty,
                Labels = PodTemplates.Merge(template.Metadata?.Labels, labels),
                Annotations = PodTemplates.Merge(template.Metadata?.Annotations, annotations),
                OwnerReferences = [PodTemplates.ControllerReference(jobSet, WorkloadKinds.JobSet)],
            },
            Spec = spec with
            {
                CompletionMode = spec.CompletionMode ?? "Indexed",
                Completions = spec.Completions ?? spec.Parallelism ?? 1,
                Suspend = suspended ? true : spec.Suspend,
                Template = podTemplate with
                {
                    Metadata = podMetadata with
                    {
                        Labels = PodTemplates.Merge(podMetadata.Labels, labels),
                        Annotations = PodTemplates.Merge(podMetadata.Annotations, annotations),
                    },
                    Spec = podSpec with { RestartPolicy = podSpec.RestartPolicy ?? "OnFailure" },
                },
            },
        };
    }

    /// <summary>What one reconciliation knows of the JobSet's current attempt, and the next Job's global index.</summary>
    private sealed class Attempt(GenericObject jobSet, Dictionary<string, V1Job> jobs, int restarts, bool suspended)
    {
        public GenericObject JobSet { get; } = jobSet;

        public Dictionary<string, V1Job> Jobs { get; } = jobs;

        public int Restarts { get; } = restarts;

        public bool Suspended { get; } = suspended;

        public int GlobalIndex { get; set; }
    }
}
