namespace Kai.Cluster.Port;

/// <summary>What a write did to an object, as in a Kubernetes watch event.</summary>
public enum ChangeType
{
    Added,
    Modified,
    Deleted,
}
