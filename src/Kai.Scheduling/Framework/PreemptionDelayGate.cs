using System.Globalization;
using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Framework;

/// <summary>
/// KAI's preemption delay (<see cref="Model.PodGroup.PreemptionDelay"/>): a pending group waits that long, from its
/// creation or its last eviction, before reclaim, preempt or consolidation may evict others for it — so a cluster
/// autoscaler has time to add nodes first. Allocation into free room is not held back. A framework service the
/// disruptive actions share.
/// </summary>
internal static class PreemptionDelayGate
{
    /// <summary>Whether <paramref name="group"/> may have others evicted for it now; when not, notes why for <paramref name="action"/>.</summary>
    public static bool Allows(Session session, int group, ActionKind action)
    {
        var podGroup = session.Snapshot.Groups[group];
        if (podGroup.PreemptionDelayEnd is not { } end || !session.IsBefore(end))
        {
            return true;
        }

        session.Explanations.AddNote(group, action, string.Create(CultureInfo.InvariantCulture,
            $"within its preemption delay window ({GoDurationText(podGroup.PreemptionDelay!.Value)}) and may not trigger evictions before {end.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"));
        return false;
    }

    /// <summary>A duration as Go prints it (1h0m0s, 5m0s, 30s), as KAI's message shows it.</summary>
    private static string GoDurationText(TimeSpan duration)
    {
        var hours = (long)duration.TotalHours;
        var seconds = (duration - TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(duration.Minutes)).TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture);
        return hours > 0 ? $"{hours}h{duration.Minutes}m{seconds}s"
            : duration.Minutes > 0 ? $"{duration.Minutes}m{seconds}s"
            : $"{seconds}s";
    }
}
