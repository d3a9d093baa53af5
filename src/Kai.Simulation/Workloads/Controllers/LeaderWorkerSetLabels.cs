using System.Globalization;
using k8s.Models;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// The labels LeaderWorkerSet's pod webhook writes on the pods of its StatefulSets: the leader StatefulSet's pod of
/// ordinal <c>g</c> leads group <c>g</c> (worker index 0); a group's worker StatefulSet (labelled with its group
/// index, ordinals from 1) has workers whose worker index is their ordinal.
/// </summary>
internal static class LeaderWorkerSetLabels
{
    public const string Name = "leaderworkerset.sigs.k8s.io/name";
    public const string GroupIndex = "leaderworkerset.sigs.k8s.io/group-index";
    public const string WorkerIndex = "leaderworkerset.sigs.k8s.io/worker-index";
    public const string Size = "leaderworkerset.sigs.k8s.io/size";
    public const string LeaderName = "leaderworkerset.sigs.k8s.io/leader-name";

    public static void AddPodLabels(V1StatefulSet set, int ordinal, Dictionary<string, string> labels)
    {
        var setLabels = set.Metadata.Labels;
        if (setLabels is null || !setLabels.TryGetValue(Name, out var lws))
        {
            return;
        }

        labels[Name] = lws;
        var index = ordinal.ToString(CultureInfo.InvariantCulture);
        if (setLabels.TryGetValue(GroupIndex, out var group))
        {
            labels[GroupIndex] = group;
            labels[WorkerIndex] = index;
        }
        else
        {
            labels[GroupIndex] = index;
            labels[WorkerIndex] = "0";
        }
    }
}
