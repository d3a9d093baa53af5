using Kai.Cluster.Port;

namespace Kai.Cluster.Workloads;

/// <summary>
/// The workload kinds users submit and the embedded cluster runs, by the apiVersion and kind they are stored under.
/// Kubernetes' own (Job, CronJob, Deployment, ReplicaSet, StatefulSet) have C# types; the others are
/// <see cref="GenericObject"/>s defined by <see cref="WorkloadDefinitions"/>.
/// </summary>
public static class WorkloadKinds
{
    public static readonly KindKey Pod = new("v1", "Pod");
    public static readonly KindKey Job = new("batch/v1", "Job");
    public static readonly KindKey CronJob = new("batch/v1", "CronJob");
    public static readonly KindKey Deployment = new("apps/v1", "Deployment");
    public static readonly KindKey ReplicaSet = new("apps/v1", "ReplicaSet");
    public static readonly KindKey StatefulSet = new("apps/v1", "StatefulSet");

    public static readonly KindKey PyTorchJob = new("kubeflow.org/v1", "PyTorchJob");
    public static readonly KindKey TFJob = new("kubeflow.org/v1", "TFJob");
    public static readonly KindKey XGBoostJob = new("kubeflow.org/v1", "XGBoostJob");
    public static readonly KindKey JaxJob = new("kubeflow.org/v1", "JAXJob");
    public static readonly KindKey MpiJob = new("kubeflow.org/v2beta1", "MPIJob");
    public static readonly KindKey Notebook = new("kubeflow.org/v1beta1", "Notebook");

    public static readonly KindKey RayCluster = new("ray.io/v1", "RayCluster");
    public static readonly KindKey RayJob = new("ray.io/v1", "RayJob");
    public static readonly KindKey RayService = new("ray.io/v1", "RayService");

    public static readonly KindKey JobSet = new("jobset.x-k8s.io/v1alpha2", "JobSet");
    public static readonly KindKey LeaderWorkerSet = new("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet");

    public static readonly KindKey KnativeService = new("serving.knative.dev/v1", "Service");
    public static readonly KindKey KnativeConfiguration = new("serving.knative.dev/v1", "Configuration");
    public static readonly KindKey KnativeRevision = new("serving.knative.dev/v1", "Revision");

    /// <summary>NVIDIA's ComputeDomain (IMEX): not a workload, but its controller makes the claim template its pods use.</summary>
    public static readonly KindKey ComputeDomain = new("resource.nvidia.com/v1beta1", "ComputeDomain");
}
