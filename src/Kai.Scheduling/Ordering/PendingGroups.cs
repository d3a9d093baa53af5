using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Ordering;

/// <summary>Which pod groups are candidates for placement: the ones every placing action (allocate and the disruptive ones) starts from.</summary>
internal static class PendingGroups
{
    /// <summary>Ready groups in a leaf queue with at least one pending pod this scheduler places.</summary>
    public static IEnumerable<int> Candidates(Session session)
    {
        var snapshot = session.Snapshot;
        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            if (snapshot.QueueOf(g) >= 0 && HasCandidatePods(session, g) && session.Explanations.NotReadyMessage(g) is null)
            {
                yield return g;
            }
        }
    }

    /// <summary>
    /// Groups in a leaf queue with at least one pending pod, ready or not (KAI's "all pending jobs", the order a
    /// victim search simulates in).
    /// </summary>
    public static IEnumerable<int> WithPendingPods(Session session)
    {
        var snapshot = session.Snapshot;
        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            if (snapshot.QueueOf(g) >= 0 && HasCandidatePods(session, g))
            {
                yield return g;
            }
        }
    }

    /// <summary>Whether the group still has a pending pod this scheduler places (and supports).</summary>
    public static bool HasCandidatePods(Session session, int group)
    {
        foreach (var pod in session.Snapshot.MembersOf(group))
        {
            if (session.StatusOf(pod) == PodStatus.Pending && session.Snapshot.Pods[pod] is { IsScheduledByUs: true, Unsupported: null })
            {
                return true;
            }
        }

        return false;
    }
}
