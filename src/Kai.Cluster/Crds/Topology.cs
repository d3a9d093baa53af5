using k8s.Models;

namespace Kai.Cluster.Crds;

/// <summary>A physical topology (<c>kai.scheduler/v1alpha1</c>, cluster-scoped): node-label levels, top-down.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class Topology : CustomResource<TopologySpec>
{
    public const string KubeGroup = KaiApi.KaiGroup;
    public const string KubeApiVersion = KaiApi.TopologyVersion;
    public const string KubeKind = "Topology";
    public const string KubePluralName = "topologies";

    public Topology()
        : base(KubeGroup, KubeApiVersion, KubeKind)
    {
    }
}
