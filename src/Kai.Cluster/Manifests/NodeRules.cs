namespace Kai.Cluster.Manifests;

/// <summary>Checks of a Node: capacity and allocatable are valid, non-negative quantities.</summary>
internal static class NodeRules
{
    public static void ValidateRaw(ValidationContext context)
    {
        ResourceListRules.Check(context, ["status", "capacity"], null, "status", "capacity");
        ResourceListRules.Check(context, ["status", "allocatable"], null, "status", "allocatable");
    }
}
