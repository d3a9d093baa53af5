namespace Kai.Cluster.Crds;

/// <summary>API groups and versions of KAI's CRDs, as served by the real KAI Scheduler.</summary>
public static class KaiApi
{
    public const string SchedulingGroup = "scheduling.run.ai";
    public const string KaiGroup = "kai.scheduler";

    public const string QueueVersion = "v2";
    public const string PodGroupVersion = "v2alpha2";
    public const string BindRequestVersion = "v1alpha2";
    public const string TopologyVersion = "v1alpha1";

    /// <summary>The queue quota or limit value that means "unlimited".</summary>
    public const double Unlimited = -1;
}
