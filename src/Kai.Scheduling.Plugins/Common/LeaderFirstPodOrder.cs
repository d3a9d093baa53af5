using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Common;

/// <summary>Places a workload's leader before its workers (the kubeflow and ray plugins, with different leaders).</summary>
internal abstract class LeaderFirstPodOrder(PodRole leader) : IPodOrderPlugin
{
    public abstract string Name { get; }

    public int ComparePods(ISessionView session, int left, int right)
    {
        var pods = session.Snapshot.Pods;
        var l = pods[left].Role == leader;
        var r = pods[right].Role == leader;
        return l == r ? 0 : (l ? -1 : 1);
    }
}
