using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Plugins.Common;

namespace Kai.Scheduling.Plugins.MinRuntime;

/// <summary>
/// Min-runtime protection: a pod group that started less than its minimum runtime ago is not preempted or
/// reclaimed. Preempt uses the victim queue's <c>preemptMinRuntime</c> (else the nearest ancestor's, else the
/// plugin default); reclaim resolves <c>reclaimMinRuntime</c> by the configured method (<c>lca</c>: from just
/// below the lowest common ancestor of reclaimer and victim, upwards; <c>queue</c>: from the victim's queue,
/// upwards). A protected elastic group may still lose pods above its minimum.
/// </summary>
internal sealed class MinRuntimePlugin(MinRuntimeOptions options) : IVictimFilterPlugin, IScenarioValidatorPlugin
{
    public const string PluginName = "minruntime";

    // A plugin instance lives for one session (the registry creates one per cycle), so these hold for the whole session.
    private TimeSpan? _longest;

    // Per group: whether it started before the longest min-runtime ago (or never), so no rule protects it this session.
    private bool[]? _pastLongest;

    // The snapshot _pastLongest was kept for: a plugin reused for another session (its contract forbids it) starts afresh.
    private object? _snapshot;

    // The groups a validation has met so far (emptied at each; a plugin serves one session, one search at a time).
    private readonly HashSet<int> _seenGroups = [];

    public string Name => PluginName;

    /// <summary>
    /// Whether <see cref="Validate"/> walks the evicted pods with an index loop and a kept set instead of a query; off only
    /// in tests that compare.
    /// </summary>
    internal bool ValidatesWithoutQueries { get; init; } = true;

    /// <summary>
    /// Whether a group found outside the longest min-runtime is remembered for the session (the victim filter asks of
    /// every candidate victim, again at every search). Off only in tests that compare with the plugin asking each time.
    /// </summary>
    internal bool RemembersUnprotected { get; init; } = true;

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPlugin(PluginName, MinRuntimeOptions.Bind, (options, _) => new MinRuntimePlugin(options));

    public PluginStatus FilterVictim(ISessionView session, ActionKind action, int preemptor, int victimGroup)
    {
        if (action is not (ActionKind.Preempt or ActionKind.Reclaim) || ProtectedUntil(session, action, preemptor, victimGroup) is null)
        {
            return PluginStatus.Success;
        }

        // One text for every protected group, so the explanation counts them together.
        return IsElastic(session, victimGroup) ? PluginStatus.Success : PluginStatus.Unschedulable("within their min-runtime", Name);
    }

    public PluginStatus Validate(ISessionView session, ActionKind action, EvictionScenario scenario)
    {
        if (action is not (ActionKind.Preempt or ActionKind.Reclaim))
        {
            return PluginStatus.Success;
        }

        if (!ValidatesWithoutQueries)
        {
            foreach (var group in scenario.EvictedPods.Select(session.Snapshot.GroupOf).Distinct())
            {
                if (Breaks(session, action, scenario.Preemptor, group))
                {
                    return Broken(session, group);
                }
            }

            return PluginStatus.Success;
        }

        // Every successful try of a victim search is validated (15,852 a cycle at 4,000 nodes): the evicted pods' groups
        // in the order they first come, as Distinct gives them, from an index loop and a kept set instead of a query,
        // its set and a boxed enumerator (6 MB a cycle).
        var seen = _seenGroups;
        seen.Clear();
        var evicted = scenario.EvictedPods;
        for (var i = 0; i < evicted.Count; i++)
        {
            var group = session.Snapshot.GroupOf(evicted[i]);
            if (seen.Add(group) && Breaks(session, action, scenario.Preemptor, group))
            {
                return Broken(session, group);
            }
        }

        return PluginStatus.Success;
    }

    /// <summary>Whether evicting the group's pods breaks its min-runtime: it is protected and would drop below its minimum.</summary>
    private bool Breaks(ISessionView session, ActionKind action, int preemptor, int group) =>
        group >= 0 && ProtectedUntil(session, action, preemptor, group) is not null && !session.Gangs.IsSatisfied(group);

    private PluginStatus Broken(ISessionView session, int group) =>
        PluginStatus.Unschedulable($"pod group {session.Snapshot.Groups[group].Key} is within its min-runtime and would drop below its minimum", Name);

    /// <summary>When the group's protection ends, or null when it is not protected now.</summary>
    internal DateTimeOffset? ProtectedUntil(ISessionView session, ActionKind action, int preemptor, int victimGroup)
    {
        if (!ReferenceEquals(_snapshot, session.Snapshot))
        {
            _snapshot = session.Snapshot;
            _pastLongest = null;
        }

        if (RemembersUnprotected && _pastLongest is { } past && past[victimGroup])
        {
            return null;
        }

        // The session's clock and the group's start are fixed for the session, and a time not before now leaves nothing
        // for the session to note (IsBefore notes only the deadlines still ahead), so remembering the answer changes nothing.
        if (session.Snapshot.Groups[victimGroup].LastStartTimestamp is not { } started || !session.IsBefore(started + LongestMinRuntime(session)))
        {
            if (RemembersUnprotected)
            {
                (_pastLongest ??= new bool[session.Snapshot.Groups.Count])[victimGroup] = true;
            }

            return null;
        }

        var minRuntime = action == ActionKind.Preempt ? PreemptMinRuntime(session, victimGroup) : ReclaimMinRuntime(session, preemptor, victimGroup);
        var until = started + minRuntime;
        return session.IsBefore(until) ? until : null;
    }

    /// <summary>The longest min-runtime anywhere, so most victims are ruled out without resolving theirs.</summary>
    private TimeSpan LongestMinRuntime(ISessionView session) => _longest ??= ComputeLongestMinRuntime(session);

    private TimeSpan ComputeLongestMinRuntime(ISessionView session)
    {
        var longest = options.PreemptMinRuntime > options.ReclaimMinRuntime ? options.PreemptMinRuntime : options.ReclaimMinRuntime;
        foreach (var queue in session.Snapshot.Queues)
        {
            foreach (var value in new[] { queue.PreemptMinRuntime, queue.ReclaimMinRuntime })
            {
                if (value is { } v && v > longest)
                {
                    longest = v;
                }
            }
        }

        return longest;
    }

    private TimeSpan PreemptMinRuntime(ISessionView session, int victimGroup)
    {
        var leaf = session.Snapshot.QueueOf(victimGroup);
        foreach (var q in session.Snapshot.QueueAndAncestors(leaf))
        {
            if (session.Snapshot.Queues[q].PreemptMinRuntime is { } value)
            {
                return value;
            }
        }

        return options.PreemptMinRuntime;
    }

    private TimeSpan ReclaimMinRuntime(ISessionView session, int reclaimer, int victimGroup)
    {
        var victimLeaf = session.Snapshot.QueueOf(victimGroup);
        var start = options.ReclaimResolveMethod == MinRuntimeResolveMethod.Queue
            ? victimLeaf
            : QueuePaths.Levelled(session.Snapshot, session.Snapshot.QueueOf(reclaimer), victimLeaf).Victim;
        foreach (var q in session.Snapshot.QueueAndAncestors(start))
        {
            if (session.Snapshot.Queues[q].ReclaimMinRuntime is { } value)
            {
                return value;
            }
        }

        return options.ReclaimMinRuntime;
    }

    private static bool IsElastic(ISessionView session, int group) =>
        session.Snapshot.PodSetsOf(group).Any(s => s.MinAvailable < s.Members.Length);
}
