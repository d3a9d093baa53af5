namespace Kai.Scheduling.Model;

/// <summary>A pod's role in its workload; leaders are placed before workers.</summary>
public enum PodRole
{
    Worker,

    /// <summary>Label <c>training.kubeflow.org/job-role</c> is master or launcher.</summary>
    KubeflowLeader,

    /// <summary>Label <c>ray.io/node-type</c> is head.</summary>
    RayHead,
}
