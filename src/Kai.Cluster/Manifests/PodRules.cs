namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks of a Pod, as the API server and KAI's admission judge it: it has containers; every request, limit and
/// overhead is a valid, non-negative quantity within <see cref="Quantities.AmountLimits"/>; container resources follow
/// Kubernetes' rules (<see cref="ContainerResourceRules"/>) and GPU-sharing annotations KAI's (<see cref="GpuSharingRules"/>).
/// </summary>
internal static class PodRules
{
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
    }
}
