namespace Kai.Cluster.Port;

/// <summary>Whether objects of a kind live in a namespace (Pod) or in the cluster (Node).</summary>
public enum KindScope
{
    Namespaced,
    Cluster,
}
