namespace Kai.Scheduling.Solvers;

/// <summary>
/// Whether a running pod group may be a victim of one preemptor, decided lazily — only for the groups a search
/// reaches — and once per group; the reasons for the groups left out are counted for the explanation.
/// </summary>
/// <param name="reject">The action's and the plugins' rules: null when the group may be a victim, else why not.</param>
/// <param name="rejectQueue">Rules for whole queue subtrees (null when there are none).</param>
internal sealed class VictimEligibility(Func<int, string?> reject, Func<int, string?>? rejectQueue = null)
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
        if (rejectQueue is null)
        {
            return true;
        }

        if (_queueVerdicts.TryGetValue(queue, out var may))
        {
            return may;
        }

        var reason = rejectQueue(queue);
        may = reason is null;
        _queueVerdicts[queue] = may;
        if (!may && groups > 0)
        {
            Rejections[reason!] = Rejections.GetValueOrDefault(reason!) + groups;
        }

        return may;
    }

    public bool IsEligible(int group)
    {
        if (_verdicts.TryGetValue(group, out var eligible))
        {
            return eligible;
        }

        var reason = reject(group);
        eligible = reason is null;
        _verdicts[group] = eligible;
        if (eligible)
        {
            EligibleSeen++;
        }
        else if (reason!.Length > 0)
        {
            Rejections[reason] = Rejections.GetValueOrDefault(reason) + 1;
        }

        return eligible;
    }
}
