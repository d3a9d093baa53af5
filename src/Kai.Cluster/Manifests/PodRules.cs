namespace Kai.Cluster.Manifests;

/// <summary>Checks of a Pod the scheduler depends on: it has containers, and every request, limit and overhead is a valid, non-negative quantity.</summary>
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
}
