using Kai.Controllers.Conventions;

namespace Kai.Controllers.ScaleAdjust;

/// <summary>Settings of the <see cref="NodeScaleAdjuster"/>, with KAI's defaults.</summary>
public sealed record NodeScaleAdjusterOptions
{
    /// <summary>Only pending pods of this scheduler are looked at.</summary>
    public string SchedulerName { get; init; } = KaiConventions.SchedulerName;

    /// <summary>Where scaling pods are created (KAI's <c>kai-scale-adjust</c>).</summary>
    public string Namespace { get; init; } = "kai-scale-adjust";

    /// <summary>
    /// No scaling pod is created for this long after one was removed (KAI's 60 s), so an autoscaler that is already
    /// adding a node is not asked for another.
    /// </summary>
    public TimeSpan CoolDown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The share of a GPU a <c>gpu-memory</c> pod is counted as (KAI's <c>--gpu-memory-to-fraction-ratio</c>, 0.1).</summary>
    public double GpuMemoryToFractionRatio { get; init; } = 0.1;

    /// <summary>The image of the scaling pods; it only has to start and wait (the chart uses kai's own, with <see cref="ScalingPodArgs"/>).</summary>
    public string ScalingPodImage { get; init; } = "ghcr.io/kai-scheduler-dotnet/kai:0.1.0";

    /// <summary>Arguments of the scaling pod's container (<c>pause</c>: kai waits until it is stopped).</summary>
    public IReadOnlyList<string> ScalingPodArgs { get; init; } = ["pause"];

    /// <summary>The service account the scaling pods run as; empty: the namespace's default.</summary>
    public string ScalingPodServiceAccount { get; init; } = string.Empty;
}
