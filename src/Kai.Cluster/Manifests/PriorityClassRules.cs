namespace Kai.Cluster.Manifests;

/// <summary>Checks of a PriorityClass: the API server requires <c>value</c>, and a missing one would silently read as 0.</summary>
internal static class PriorityClassRules
{
    public static void ValidateRaw(ValidationContext context)
    {
        if (YamlNodes.ScalarText(context.Root.Get("value")) is null)
        {
            context.Error(
                "value is missing; a PriorityClass needs an integer value, e.g. value: 100 (KAI's classes: train 50, build-preemptible 75, build 100, inference 125)",
                "value");
        }
    }
}
