using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Whether a running pod group may be a victim of one preemptor, decided lazily — only for the groups a search
/// reaches — and once per group; the reasons for the groups left out are counted for the explanation.
/// </summary>
/// <param name="preemptor">The pod group looking for room (never its own victim, and not counted as rejected).</param>
/// <param name="filter">The action's and the plugins' rules for one group.</param>
/// <param name="filterQueue">Rules for whole queue subtrees (null when there are none).</param>
internal sealed class VictimEligibility(int preemptor, Func<int, PluginStatus> filter, Func<int, PluginStatus>? filterQueue = null)
{
    private readonly Dictionary<int, bool> _verdicts = [];
    private readonly Dictionary<int, bool> _queueVerdicts = [];

    /// <summary>When set, only this leaf queue's groups can be victims (preempt stays in its queue).</summary>
    public int? OnlyLeaf { get; init; }

    /// <summary>Why groups were left out, with how many, among those looked at.</summary>
    public Dictionary<string, int> Rejections { get; } = new(StringComparer.Ordinal);

    /// <summary>How many groups looked at may be victims.</summary>
    public int EligibleSeen { get; private set; }

    /// <summary>Whether a queue's subtree may give victims at all; when not, its <paramref name="groups"/> are counted as rejected once.</summary>
    public bool QueueMayGive(int queue, int groups)
    {
        if (filterQueue is null)
        {
            return true;
        }

        if (_queueVerdicts.TryGetValue(queue, out var may))
        {
            return may;
        }

        var status = filterQueue(queue);
        may = status.IsSuccess;
        _queueVerdicts[queue] = may;
        if (!may && groups > 0)
        {
            Count(status, groups);
        }

        return may;
    }

    public bool IsEligible(int group)
    {
        if (_verdicts.TryGetValue(group, out var eligible))
        {
            return eligible;
        }

        if (group == preemptor)
        {
            _verdicts[group] = false;
            return false;
        }

        var status = filter(group);
        eligible = status.IsSuccess;
        _verdicts[group] = eligible;
        if (eligible)
        {
            EligibleSeen++;
        }
        else
        {
            Count(status, 1);
        }

        return eligible;
    }

    private void Count(in PluginStatus status, int groups)
    {
        var reason = status.Reason ?? status.Code.ToString();
        Rejections[reason] = Rejections.GetValueOrDefault(reason) + groups;
    }
}
