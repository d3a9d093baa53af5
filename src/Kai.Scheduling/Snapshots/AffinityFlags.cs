using System.Runtime.CompilerServices;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// What of a pod's inter-pod affinity other pods' placement depends on, as bits: plugins ask whether any pod of the
/// snapshot has such terms, and reading 140,000 pods for that every cycle costs more than keeping a byte per pod
/// (carried over with the pods that did not change).
/// </summary>
internal static class AffinityFlags
{
    /// <summary>Required affinity or preferred terms: the pod's terms score other pods' nodes.</summary>
    public const byte ScoresOthers = 1;

    /// <summary>Required anti-affinity terms.</summary>
    public const byte RequiresAntiAffinity = 2;

    public static byte Of(Pod pod) => (byte)((pod.Constraints.PodAffinity.ScoresOthers ? ScoresOthers : 0)
        | (pod.Constraints.PodAffinity.RequiredAntiAffinity.Count > 0 ? RequiresAntiAffinity : 0));

    /// <summary>Every pod's flags: those of a pod carried over from the previous snapshot are copied, not read.</summary>
    public static byte[] Of(Pod[] pods, SnapshotCarryOver? carry, CoreSplit split)
    {
        var flags = new byte[pods.Length];
        var before = carry?.Previous.Links.PodAffinity;
        split.For(pods.Length, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, start, end) =>
        {
            for (var p = start; p < end; p++)
            {
                flags[p] = carry is not null && carry.PodFrom[p] is var o and >= 0 ? before![o] : Of(pods[p]);
            }
        });
        return flags;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int ScoringOthers, int RequiringAntiAffinity) Count(byte[] flags)
    {
        var scoring = 0;
        var antiAffinity = 0;
        foreach (var flag in flags)
        {
            scoring += flag & ScoresOthers;
            antiAffinity += (flag & RequiresAntiAffinity) >> 1;
        }

        return (scoring, antiAffinity);
    }
}
