namespace Kai.Controllers.Conventions;

/// <summary>KAI's names on the wire: scheduler name, labels, annotations and defaults that manifests use.</summary>
public static class KaiConventions
{
    public const string SchedulerName = "kai-scheduler";
    public const string QueueLabel = "kai.scheduler/queue";
    public const string PodGroupAnnotation = "pod-group-name";
    public const string SubGroupLabel = "kai.scheduler/subgroup-name";
    public const string NodePoolLabel = "kai.scheduler/node-pool";
    public const string SkipPodGrouperAnnotation = "kai.scheduler/skip-podgrouper";
    public const string TopOwnerMetadataAnnotation = "kai.scheduler/top-owner-metadata";
    public const string PreemptionDelayAnnotation = "kai.scheduler/preemption-delay";
    public const string StalenessGracePeriodAnnotation = "kai.scheduler/staleness-grace-period";
    public const string MinMemberOverrideAnnotation = "kai.scheduler/batch-min-member";
    public const string TopologyAnnotation = "kai.scheduler/topology";
    public const string TopologyRequiredAnnotation = "kai.scheduler/topology-required-placement";
    public const string TopologyPreferredAnnotation = "kai.scheduler/topology-preferred-placement";
    public const string SegmentSizeAnnotation = "kai.scheduler/segment-size";
    public const string SegmentTopologyRequiredAnnotation = "kai.scheduler/segment-topology-required-placement";
    public const string SegmentTopologyPreferredAnnotation = "kai.scheduler/segment-topology-preferred-placement";
    public const string UserLabel = "user";
    public const string ProjectLabel = "project";
    public const string PodGrouperWarningReason = "PodGrouperWarning";
    public const string MpsAnnotation = "mps";
    public const string SharedGpuConfigMapAnnotation = "runai/shared-gpu-configmap";
    public const string PriorityClassLabel = "priorityClassName";
    public const string PreemptibilityLabel = "kai.scheduler/preemptibility";
    public const string PodOrderPriorityLabel = "kai.scheduler/task-priority";
    public const string KubeflowRoleLabel = "training.kubeflow.org/job-role";
    public const string RayNodeTypeLabel = "ray.io/node-type";
    public const string StaleTimestampAnnotation = "kai.scheduler/stale-podgroup-timestamp";
    public const string LastStartTimestampAnnotation = "kai.scheduler/last-start-timestamp";

    /// <summary>When the scheduler last evicted pods of a pod group; restarts the group's preemption delay.</summary>
    public const string LastEvictionTimestampAnnotation = "kai.scheduler/last-eviction-timestamp";
    public const string GpuFractionAnnotation = "gpu-fraction";
    public const string GpuMemoryAnnotation = "gpu-memory";
    public const string GpuFractionDevicesAnnotation = "gpu-fraction-num-devices";
    public const string GpuFractionContainerNameAnnotation = "gpu-fraction-container-name";
    public const string NodeGpuCountLabel = "nvidia.com/gpu.count";

    /// <summary>Per-GPU memory of a node, MiB (bytes when 2^20 or more, a GPU feature discovery bug KAI works around).</summary>
    public const string NodeGpuMemoryLabel = "nvidia.com/gpu.memory";
    public const string MigStrategyLabel = "nvidia.com/mig.strategy";
    public const string MigEnabledLabel = "node-role.kubernetes.io/mig-enabled";
    public const string MigResourcePrefix = "nvidia.com/mig-";

    /// <summary>The GPU group (shared device) a pod runs on; a pod on several devices has one <c>runai-gpu-group/&lt;id&gt;=&lt;id&gt;</c> label per group.</summary>
    public const string GpuGroupLabel = "runai-gpu-group";
    public const string MultiGpuGroupLabelPrefix = "runai-gpu-group/";
    public const string ReceivedResourceTypeAnnotation = "received-resource-type";

    /// <summary>Namespace, service account and <c>app</c> label of GPU reservation pods.</summary>
    public const string ReservationNamespace = "kai-resource-reservation";
    public const string ReservationAppLabel = "app";
    public const string ReservationAppValue = "kai-resource-reservation";

    /// <summary>Written on a reservation pod by the pod itself: the UUID of the GPU it holds.</summary>
    public const string ReserveForGpuIndexAnnotation = "run.ai/reserve_for_gpu_index";
    public const string ReservationPodPrefix = "gpu-reservation-";
    public const string SelectedNodeLabel = "selected-node";
    public const string GpuResource = "nvidia.com/gpu";
    public const string DefaultQueue = "default-queue";
    public const string DefaultParentQueue = "default-parent-queue";
    public const string DefaultNodePool = "default";
    public const string DefaultPriorityClass = "train";
    public const string BuildPriorityClass = "build";
    public const string InferencePriorityClass = "inference";

    /// <summary>How the timestamp annotations are written (UTC, whole seconds).</summary>
    public const string TimestampAnnotationFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>PriorityClasses a KAI install creates.</summary>
    public static IReadOnlyList<(string Name, int Value)> PriorityClasses { get; } =
        [("train", 50), ("build-preemptible", 75), ("build", 100), ("inference", 125)];
}
