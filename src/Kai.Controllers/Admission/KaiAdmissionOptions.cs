namespace Kai.Controllers.Admission;

/// <summary>Settings of KAI's admission webhooks (the flags of KAI's admission binary and its Helm values).</summary>
public sealed record KaiAdmissionOptions
{
    /// <summary>Only pods with this schedulerName are mutated and validated (the webhooks' matchCondition).</summary>
    public string SchedulerName { get; init; } = "kai-scheduler";

    /// <summary>
    /// Whether pods may share GPUs (<c>gpu-fraction</c>, <c>gpu-memory</c>); KAI's <c>global.gpuSharing</c>. The
    /// embedded cluster simulates sharing, so it is on by default here; the Helm chart turns it off by default as KAI's does.
    /// </summary>
    public bool GpuSharingEnabled { get; init; } = true;

    /// <summary>The runtimeClassName given to GPU pods that name none (<c>--gpu-pod-runtime-class-name</c>); empty turns it off.</summary>
    public string GpuPodRuntimeClassName { get; init; } = "nvidia";

    /// <summary>Seed of the random part of shared-GPU ConfigMap names, so runs repeat.</summary>
    public int RandomSeed { get; init; }
}
