namespace Kai.Cluster.Manifests;

/// <summary>Checks of a Pod the scheduler depends on: every request, limit and overhead is a valid, non-negative quantity.</summary>
internal static class PodRules
{
    public static void ValidateRaw(ValidationContext context)
    {
        var spec = context.Root.GetMapping("spec");
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

                var name = YamlNodes.ScalarText(container.Get("name")) ?? $"#{i}";
                var owner = $"{label} \"{name}\"";
                ResourceListRules.Check(context, ["spec", field, i, "resources", "requests"], owner, "resources", "requests");
                ResourceListRules.Check(context, ["spec", field, i, "resources", "limits"], owner, "resources", "limits");
            }
        }

        ResourceListRules.Check(context, ["spec", "overhead"], "pod", "spec", "overhead");
    }
}
