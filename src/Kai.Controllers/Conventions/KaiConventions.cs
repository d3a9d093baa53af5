namespace Kai.Controllers.Conventions;

/// <summary>KAI's names on the wire: scheduler name, labels, annotations and defaults that manifests use.</summary>
public static class KaiConventions
{
    public const string SchedulerName = "kai-scheduler";
    public const string QueueLabel = "kai.scheduler/queue";
    public const string PodGroupAnnotation = "pod-group-name";
    public const string SubGroupLabel = "kai.scheduler/subgroup-name";
    public const string PriorityClassLabel = "priorityClassName";
    public const string PreemptibilityLabel = "kai.scheduler/preemptibility";
    public const string PodOrderPriorityLabel = "kai.scheduler/task-priority";
    public const string KubeflowRoleLabel = "training.kubeflow.org/job-role";
    public const string RayNodeTypeLabel = "ray.io/node-type";
    public const string StaleTimestampAnnotation = "kai.scheduler/stale-podgroup-timestamp";
    public const string LastStartTimestampAnnotation = "kai.scheduler/last-start-timestamp";
    public const string GpuFractionAnnotation = "gpu-fraction";
    public const string GpuMemoryAnnotation = "gpu-memory";
    public const string GpuFractionDevicesAnnotation = "gpu-fraction-num-devices";
    public const string NodeGpuCountLabel = "nvidia.com/gpu.count";
    public const string SelectedNodeLabel = "selected-node";
    public const string GpuResource = "nvidia.com/gpu";
    public const string DefaultQueue = "default-queue";
    public const string DefaultParentQueue = "default-parent-queue";
    public const string DefaultNodePool = "default";
    public const string DefaultPriorityClass = "train";

    /// <summary>How the timestamp annotations are written (UTC, whole seconds).</summary>
    public const string TimestampAnnotationFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>PriorityClasses a KAI install creates.</summary>
    public static IReadOnlyList<(string Name, int Value)> PriorityClasses { get; } =
        [("train", 50), ("build-preemptible", 75), ("build", 100), ("inference", 125)];
}
