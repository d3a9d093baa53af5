namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks of a Pod, as the API server and KAI's admission judge it: it has containers; every request, limit and
/// overhead is a valid, non-negative quantity within <see cref="Quantities.AmountLimits"/>; container resources follow
/// Kubernetes' rules (<see cref="ContainerResourceRules"/>) and GPU-sharing annotations KAI's (<see cref="GpuSharingRules"/>).
/// </summary>
internal static class PodRules
{
    private const string KaiSchedulerName = "kai-scheduler";

    private static readonly string[] KaiLabels = ["kai.scheduler/queue", "kai.scheduler/subgroup-name", "kai.scheduler/preemptibility"];

    private static readonly string[] KaiAnnotations = ["pod-group-name", "gpu-fraction", "gpu-memory", "gpu-fraction-num-devices"];

    public static void ValidateRaw(ValidationContext context)
    {
        var spec = context.Root.GetMapping("spec");
        if (spec?.GetSequence("containers") is not { Children.Count: > 0 })
        {
            // The API server rejects such a pod, and everything that sizes a pod reads its containers.
            context.Error("spec.containers is missing or empty; a Pod needs at least one container, e.g. containers: [{name: main, image: ubuntu}]", "spec", "containers");
        }

        foreach (var (field, label) in new[] { ("containers", "container"), ("initContainers", "init container") })
        {
            var containers = spec?.GetSequence(field);
            if (containers is null)
            {
                continue;
            }

            for (var i = 0; i < containers.Children.Count; i++)
            {
                if (containers.Children[i] is not YamlDotNet.RepresentationModel.YamlMappingNode container)
                {
                    continue;
                }

                var owner = YamlNodes.ScalarText(container.Get("name")) is { } name ? $"{label} \"{name}\"" : $"{label} #{i}";
                ResourceListRules.Check(context, ["spec", field, i, "resources", "requests"], owner, "resources", "requests");
                ResourceListRules.Check(context, ["spec", field, i, "resources", "limits"], owner, "resources", "limits");
            }
        }

        ResourceListRules.Check(context, ["spec", "overhead"], null, "spec", "overhead");
    }

    /// <summary>The API server's checks of each container's resources, then KAI's admission checks of GPU sharing.</summary>
    public static void Validate(k8s.Models.V1Pod pod, ValidationContext context)
    {
        foreach (var (field, containers) in new[] { ("containers", pod.Spec?.Containers), ("initContainers", pod.Spec?.InitContainers) })
        {
            for (var i = 0; i < (containers?.Count ?? 0); i++)
            {
                ContainerResourceRules.Check(containers![i], field, i, context);
            }
        }

        GpuSharingRules.Check(pod, context);
        NoteKaiMarksWithoutKaiScheduler(pod, context);
        if (pod.Spec?.ResourceClaims is { Count: > 0 } claims)
        {
            for (var i = 0; i < claims.Count; i++)
            {
                var byName = !string.IsNullOrEmpty(claims[i].ResourceClaimName);
                var byTemplate = !string.IsNullOrEmpty(claims[i].ResourceClaimTemplateName);
                if (byName == byTemplate)
                {
                    context.Error(
                        $"spec.resourceClaims[{i}] ({claims[i].Name}) must name exactly one of resourceClaimName (a claim shared by the pods naming it) or resourceClaimTemplateName (a claim of its own made from the template)",
                        "spec", "resourceClaims", i);
                }
            }
        }
    }

    // KAI acts only on pods with its schedulerName; a pod marked up for KAI without it is most likely a slip.
    private static void NoteKaiMarksWithoutKaiScheduler(k8s.Models.V1Pod pod, ValidationContext context)
    {
        var scheduler = pod.Spec?.SchedulerName;
        if (string.Equals(scheduler, KaiSchedulerName, StringComparison.Ordinal))
        {
            return;
        }

        var marks = KaiLabels.Where(l => pod.Metadata.Labels?.ContainsKey(l) == true).Select(l => $"label {l}")
            .Concat(KaiAnnotations.Where(a => pod.Metadata.Annotations?.ContainsKey(a) == true).Select(a => $"annotation {a}"))
            .ToList();
        if (marks.Count == 0)
        {
            return;
        }

        var who = scheduler is { Length: > 0 } ? $"spec.schedulerName is \"{scheduler}\"" : "spec.schedulerName is not set (so it is default-scheduler)";
        context.Info(
            $"the pod has the {string.Join(" and the ", marks)} but {who}, so KAI does not schedule it (it only takes pods with schedulerName: {KaiSchedulerName}); " +
            $"it still uses capacity once placed. Add schedulerName: {KaiSchedulerName} if KAI should schedule it",
            "spec", "schedulerName");
    }
}
