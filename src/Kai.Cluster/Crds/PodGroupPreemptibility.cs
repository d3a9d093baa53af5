namespace Kai.Cluster.Crds;

/// <summary>The values KAI's CRD allows for <see cref="PodGroupSpec.Preemptibility"/>.</summary>
public static class PodGroupPreemptibility
{
    public const string Preemptible = "preemptible";
    public const string NonPreemptible = "non-preemptible";
}
