namespace Kai.Scheduling.Framework;

/// <summary>Why one pod does not fit one node; equal failures are counted together in explanations.</summary>
/// <param name="Kind">The category.</param>
/// <param name="Detail">The specific resource, taint, label or port, e.g. <c>nvidia.com/gpu</c>.</param>
public readonly record struct FitFailure(FitFailureKind Kind, string Detail)
{
    public override string ToString() => Kind switch
    {
        FitFailureKind.InsufficientResource => $"insufficient {Detail}",
        FitFailureKind.NotReady => "node not ready",
        FitFailureKind.Unschedulable => "node unschedulable (cordoned)",
        FitFailureKind.UntoleratedTaint => $"untolerated taint {Detail}",
        FitFailureKind.NodeSelectorMismatch => $"node selector {Detail} not matched",
        FitFailureKind.NodeAffinityMismatch => "required node affinity not matched",
        FitFailureKind.HostPortConflict => $"host port {Detail} in use",
        FitFailureKind.TooManyPods => "too many pods",
        _ => Detail,
    };
}

public enum FitFailureKind
{
    InsufficientResource,
    NotReady,
    Unschedulable,
    UntoleratedTaint,
    NodeSelectorMismatch,
    NodeAffinityMismatch,
    HostPortConflict,
    TooManyPods,
}
