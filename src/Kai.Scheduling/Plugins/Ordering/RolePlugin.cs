using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Ordering;

/// <summary>
/// Places a workload's leader before its workers: the kubeflow plugin (master, launcher) and the ray plugin
/// (head) are this class with a different role.
/// </summary>
internal sealed class RolePlugin(string name, PodRole leader) : IPodOrderPlugin
{
    public string Name { get; } = name;

    public int ComparePods(ISessionView session, int left, int right)
    {
        var l = session.Snapshot.Pods[left].Role == leader;
        var r = session.Snapshot.Pods[right].Role == leader;
        return l == r ? 0 : (l ? -1 : 1);
    }
}
