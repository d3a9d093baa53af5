using System.Globalization;
using Cronos;
using k8s.Models;
using Kai.Cluster.Workloads;
using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks of the workload kinds (Job, CronJob, Deployment, ReplicaSet, StatefulSet and the Kubeflow, Ray, JobSet,
/// LeaderWorkerSet and Knative kinds): the fields their API server or operator requires, and every pod template
/// checked as a Pod is (containers, quantities, the simulated run-time annotations). What an operator would reject
/// is an error; what KAI would fail to group is a warning that says what happens.
/// </summary>
internal static class WorkloadRules
{
    private const string Each = "*";
    private const string Items = "[]";

    /// <summary>Where each kind keeps its pod templates: field names, <c>*</c> for every value of a mapping, <c>[]</c> for every list item.</summary>
    private static readonly Dictionary<string, string[][]> TemplatePaths = new(StringComparer.Ordinal)
    {
        ["Job"] = [["spec", "template"]],
        ["CronJob"] = [["spec", "jobTemplate", "spec", "template"]],
        ["Deployment"] = [["spec", "template"]],
        ["ReplicaSet"] = [["spec", "template"]],
        ["StatefulSet"] = [["spec", "template"]],
        ["PyTorchJob"] = [["spec", "pytorchReplicaSpecs", Each, "template"]],
        ["TFJob"] = [["spec", "tfReplicaSpecs", Each, "template"]],
        ["XGBoostJob"] = [["spec", "xgbReplicaSpecs", Each, "template"]],
        ["JAXJob"] = [["spec", "jaxReplicaSpecs", Each, "template"]],
        ["MPIJob"] = [["spec", "mpiReplicaSpecs", Each, "template"]],
        ["Notebook"] = [["spec", "template"]],
        ["RayCluster"] = [["spec", "headGroupSpec", "template"], ["spec", "workerGroupSpecs", Items, "template"]],
        ["RayJob"] = [["spec", "rayClusterSpec", "headGroupSpec", "template"], ["spec", "rayClusterSpec", "workerGroupSpecs", Items, "template"]],
        ["RayService"] = [["spec", "rayClusterConfig", "headGroupSpec", "template"], ["spec", "rayClusterConfig", "workerGroupSpecs", Items, "template"]],
        ["JobSet"] = [["spec", "replicatedJobs", Items, "template", "spec", "template"]],
        ["LeaderWorkerSet"] = [["spec", "leaderWorkerTemplate", "leaderTemplate"], ["spec", "leaderWorkerTemplate", "workerTemplate"]],
        ["Service"] = [["spec", "template"]],
        ["Configuration"] = [["spec", "template"]],
    };

    /// <summary>Fields a kind cannot do without (its operator rejects it or cannot run it).</summary>
    private static readonly Dictionary<string, (string[] Path, string Example)[]> Required = new(StringComparer.Ordinal)
    {
        ["Job"] = [(["spec", "template"], "template: {spec: {containers: [...], restartPolicy: Never}}")],
        ["CronJob"] = [(["spec", "schedule"], "schedule: \"*/5 * * * *\""), (["spec", "jobTemplate"], "jobTemplate: {spec: {template: {...}}}")],
        ["Deployment"] = [(["spec", "template"], "template: {metadata: {labels: {app: x}}, spec: {containers: [...]}}"), (["spec", "selector"], "selector: {matchLabels: {app: x}}")],
        ["ReplicaSet"] = [(["spec", "template"], "template: {metadata: {labels: {app: x}}, spec: {containers: [...]}}"), (["spec", "selector"], "selector: {matchLabels: {app: x}}")],
        ["StatefulSet"] = [(["spec", "template"], "template: {metadata: {labels: {app: x}}, spec: {containers: [...]}}"), (["spec", "selector"], "selector: {matchLabels: {app: x}}")],
        ["PyTorchJob"] = [(["spec", "pytorchReplicaSpecs"], "pytorchReplicaSpecs: {Master: {replicas: 1, template: ...}, Worker: {...}}")],
        ["TFJob"] = [(["spec", "tfReplicaSpecs"], "tfReplicaSpecs: {Worker: {replicas: 2, template: ...}}")],
        ["XGBoostJob"] = [(["spec", "xgbReplicaSpecs", "Master"], "xgbReplicaSpecs: {Master: {...}, Worker: {...}}"), (["spec", "xgbReplicaSpecs", "Worker"], "xgbReplicaSpecs: {Master: {...}, Worker: {...}}")],
        ["JAXJob"] = [(["spec", "jaxReplicaSpecs", "Worker"], "jaxReplicaSpecs: {Worker: {replicas: 2, template: ...}}")],
        ["MPIJob"] = [(["spec", "mpiReplicaSpecs", "Launcher"], "mpiReplicaSpecs: {Launcher: {...}, Worker: {...}}"), (["spec", "mpiReplicaSpecs", "Worker"], "mpiReplicaSpecs: {Launcher: {...}, Worker: {...}}")],
        ["Notebook"] = [(["spec", "template", "spec"], "template: {spec: {containers: [...]}}")],
        ["RayCluster"] = [(["spec", "headGroupSpec", "template"], "headGroupSpec: {rayStartParams: {}, template: {spec: {containers: [...]}}}")],
        ["RayJob"] = [(["spec", "rayClusterSpec", "headGroupSpec", "template"], "rayClusterSpec: {headGroupSpec: {template: ...}}")],
        ["RayService"] = [(["spec", "rayClusterConfig", "headGroupSpec", "template"], "rayClusterConfig: {headGroupSpec: {template: ...}}")],
        ["JobSet"] = [(["spec", "replicatedJobs"], "replicatedJobs: [{name: workers, replicas: 1, template: {spec: {template: ...}}}]")],
        ["LeaderWorkerSet"] = [(["spec", "leaderWorkerTemplate", "workerTemplate"], "leaderWorkerTemplate: {size: 2, workerTemplate: {spec: {containers: [...]}}}")],
        ["Service"] = [(["spec", "template", "spec"], "template: {spec: {containers: [...]}}")],
        ["Configuration"] = [(["spec", "template", "spec"], "template: {spec: {containers: [...]}}")],
        ["Revision"] = [(["spec", "containers"], "containers: [...]")],
    };

    /// <summary>The raw checks of a workload kind named <paramref name="kind"/>.</summary>
    public static Action<ValidationContext> RawRulesFor(string kind) => context =>
    {
        foreach (var (path, example) in Required.GetValueOrDefault(kind) ?? [])
        {
            if (YamlNodes.At(context.Root, path) is null)
            {
                context.Error($"{string.Join('.', path)} is missing; a {kind} needs it, e.g. {example}", [.. path]);
            }
        }

        foreach (var (where, template) in Templates(context.Root, TemplatePaths.GetValueOrDefault(kind) ?? []))
        {
            CheckTemplate(context.Within(template, where), template);
        }

        if (kind == "Revision")
        {
            CheckTemplate(context, context.Root);
        }

        CheckReplicaCounts(kind, context);
    };

    public static void ValidateJob(V1Job job, ValidationContext context)
    {
        var spec = job.Spec;
        var restartPolicy = spec?.Template?.Spec?.RestartPolicy;
        if (spec?.Template is not null && restartPolicy is not ("Never" or "OnFailure"))
        {
            context.Error(
                $"spec.template.spec.restartPolicy is {(restartPolicy is null ? "missing" : $"\"{restartPolicy}\"")}; a Job's pods must use \"Never\" or \"OnFailure\"",
                "spec", "template", "spec", "restartPolicy");
        }

        if (spec?.CompletionMode == "Indexed" && spec.Completions is null)
        {
            context.Error("spec.completions is missing; an Indexed Job needs it (one index per completion)", "spec", "completionMode");
        }

        foreach (var (field, value) in new[] { ("parallelism", spec?.Parallelism), ("completions", spec?.Completions), ("backoffLimit", spec?.BackoffLimit) })
        {
            if (value < 0)
            {
                context.Error($"spec.{field} is {value}; it must be 0 or more", "spec", field);
            }
        }
    }

    public static void ValidateCronJob(V1CronJob cronJob, ValidationContext context)
    {
        if (cronJob.Spec?.Schedule is { } schedule && !TryParseSchedule(schedule, out var error))
        {
            context.Error($"spec.schedule \"{schedule}\" is not a valid cron schedule: {error}; use five fields, e.g. \"*/10 * * * *\"", "spec", "schedule");
        }

        if (cronJob.Spec?.JobTemplate?.Spec is { } jobSpec)
        {
            var restartPolicy = jobSpec.Template?.Spec?.RestartPolicy;
            if (restartPolicy is not ("Never" or "OnFailure"))
            {
                context.Error(
                    $"spec.jobTemplate.spec.template.spec.restartPolicy is {(restartPolicy is null ? "missing" : $"\"{restartPolicy}\"")}; a Job's pods must use \"Never\" or \"OnFailure\"",
                    "spec", "jobTemplate", "spec", "template", "spec", "restartPolicy");
            }
        }
    }

    public static void ValidateSelector(V1LabelSelector? selector, V1PodTemplateSpec? template, string kind, ValidationContext context)
    {
        if (selector?.MatchLabels is not { Count: > 0 } wanted || template is null)
        {
            return;
        }

        var labels = template.Metadata?.Labels ?? new Dictionary<string, string>();
        var missing = wanted.Where(p => !labels.TryGetValue(p.Key, out var v) || v != p.Value).Select(p => $"{p.Key}={p.Value}").ToList();
        if (missing.Count > 0)
        {
            context.Error(
                $"spec.selector does not match the template's labels (missing {string.Join(", ", missing)}); a {kind} selects its pods by these labels, so add them to spec.template.metadata.labels",
                "spec", "selector");
        }
    }

    /// <summary>Parses a CronJob schedule as Kubernetes does (five fields, or a macro such as @hourly).</summary>
    public static bool TryParseSchedule(string schedule, out string error)
    {
        try
        {
            _ = CronExpression.Parse(schedule, CronFormat.Standard);
            error = string.Empty;
            return true;
        }
        catch (CronFormatException e)
        {
            error = e.Message.TrimEnd('.');
            return false;
        }
    }

    private static void CheckTemplate(ValidationContext context, YamlMappingNode template)
    {
        PodRules.ValidateRaw(context);
        if (template.GetMapping("metadata")?.GetMapping("annotations") is { } annotations)
        {
            var values = annotations.Children
                .Where(e => e.Key is YamlScalarNode && e.Value is YamlScalarNode)
                .ToDictionary(e => ((YamlScalarNode)e.Key).Value ?? string.Empty, e => ((YamlScalarNode)e.Value).Value ?? string.Empty, StringComparer.Ordinal);
            if (SimulatedRuntime.Problem(values) is { } problem)
            {
                context.Warning(problem, "metadata", "annotations");
            }
        }
    }

    // KAI's pod-grouper cannot group a Kubeflow job with a replica type of 0 (or no) replicas.
    private static void CheckReplicaCounts(string kind, ValidationContext context)
    {
        var field = kind switch
        {
            "PyTorchJob" => "pytorchReplicaSpecs",
            "TFJob" => "tfReplicaSpecs",
            "XGBoostJob" => "xgbReplicaSpecs",
            "JAXJob" => "jaxReplicaSpecs",
            "MPIJob" => "mpiReplicaSpecs",
            _ => null,
        };
        if (field is null || YamlNodes.At(context.Root, ["spec", field]) is not YamlMappingNode specs)
        {
            return;
        }

        foreach (var (key, value) in specs.Children)
        {
            var type = YamlNodes.ScalarText(key) ?? string.Empty;
            var replicas = value is YamlMappingNode spec ? YamlNodes.ScalarText(spec.Get("replicas")) : null;
            if (replicas is null || !int.TryParse(replicas, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count <= 0)
            {
                context.Warning(
                    $"spec.{field}.{type}.replicas is {replicas ?? "missing"}; KAI's pod-grouper groups a {kind} only when every replica type has at least 1 replica, " +
                    "so its pods get a PodGrouperWarning event and are not scheduled. Set replicas to 1 or more",
                    "spec", field, type);
            }
        }
    }

    /// <summary>The pod templates under <paramref name="paths"/>, with where they are ("spec.template").</summary>
    private static IEnumerable<(string Where, YamlMappingNode Template)> Templates(YamlMappingNode root, string[][] paths)
    {
        foreach (var path in paths)
        {
            foreach (var found in Walk(root, path, 0, string.Empty))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<(string Where, YamlMappingNode Template)> Walk(YamlNode node, string[] path, int step, string where)
    {
        if (step == path.Length)
        {
            if (node is YamlMappingNode template)
            {
                yield return (where, template);
            }

            yield break;
        }

        var segment = path[step];
        IEnumerable<(string Name, YamlNode Child)> next = (segment, node) switch
        {
            (Each, YamlMappingNode map) => map.Children.Select(e => ($"{YamlNodes.ScalarText(e.Key)}", e.Value)),
            (Items, YamlSequenceNode list) => list.Children.Select((c, i) => ($"[{i.ToString(CultureInfo.InvariantCulture)}]", c)),
            (_, YamlMappingNode map) when map.Get(segment) is { } child => [(segment, child)],
            _ => [],
        };
        foreach (var (name, child) in next)
        {
            var here = where.Length == 0 ? name : name.StartsWith('[') ? where + name : where + "." + name;
            foreach (var found in Walk(child, path, step + 1, here))
            {
                yield return found;
            }
        }
    }
}
