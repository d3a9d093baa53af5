namespace Kai.Cluster.Port;

/// <summary>How the scheduler removes the pods it evicts.</summary>
public enum EvictionMode
{
    /// <summary>Delete the pod (gracefully), as KAI's scheduler does.</summary>
    Delete,

    /// <summary>
    /// Ask the Eviction API (<see cref="ICluster.EvictPodAsync"/>), which honours PodDisruptionBudgets: a pod its budget
    /// protects now stays, and the next cycle decides again.
    /// </summary>
    EvictionApi,
}
