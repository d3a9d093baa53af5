namespace Kai.Cluster.Port;

/// <summary>Who owns the objects given to a create once it returns (see <see cref="ICluster.CreateManyAsync{T}(IReadOnlyList{T}, CreateOwnership, CancellationToken)"/>).</summary>
public enum CreateOwnership
{
    /// <summary>The caller keeps its objects: the cluster stores copies (the rule of every other write).</summary>
    Copied,

    /// <summary>
    /// The caller hands its objects over: it made them for this create and never reads or changes them again (only the
    /// outcomes), so the cluster may store the instances themselves, with their metadata filled in, instead of copies.
    /// What is stored, and what every reader and feed sees, is the same either way.
    /// </summary>
    HandedOver,
}
