using System.Runtime.InteropServices;
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
    // The verdicts given, per group and per queue: lent by the action's shared walks (emptied books of a search that is
    // over, VerdictMemo) or made when first asked.
    private VerdictMemo? _memo;

    private VerdictMemo Memo => _memo ??= new VerdictMemo();

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

        var verdicts = Memo.Queues;
        if (verdicts.TryGetValue(queue, out var may))
        {
            return may;
        }

        var status = filterQueue(queue);
        may = status.IsSuccess;
        verdicts[queue] = may;
        if (!may && groups > 0)
        {
            Count(status, groups);
        }

        return may;
    }

    public bool IsEligible(int group)
    {
        var verdicts = Memo.Groups;
        if (verdicts.TryGetValue(group, out var eligible))
        {
            return eligible;
        }

        if (group == preemptor)
        {
            verdicts[group] = false;
            return false;
        }

        var status = filter(group);
        eligible = status.IsSuccess;
        verdicts[group] = eligible;
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

    /// <summary>Whether no verdict was asked yet and none lent (the memo may then be lent).</summary>
    internal bool HasNoMemo => _memo is null;

    /// <summary>Keeps the verdicts in <paramref name="memo"/> (empty), lent before any verdict is asked.</summary>
    internal void Lend(VerdictMemo memo)
    {
        if (_memo is not null)
        {
            throw new InvalidOperationException("verdicts were asked before a memo was lent");
        }

        _memo = memo;
    }

    /// <summary>
    /// Gives the memo back, once the search is over and no walk asks this eligibility again; should it be asked after all,
    /// it starts a memo of its own (the answers are the same, only its counts would count a group again).
    /// </summary>
    internal VerdictMemo? GiveBack()
    {
        var memo = _memo;
        _memo = null;
        return memo;
    }

    /// <summary>Counts <paramref name="groups"/> groups left out for <paramref name="reason"/> (none: nothing is written).</summary>
    internal void CountRejected(string reason, int groups)
    {
        if (groups > 0)
        {
            // One lookup of the reason (a long text, hashed in full), not two: most verdicts a walk asks are refusals.
            CollectionsMarshal.GetValueRefOrAddDefault(Rejections, reason, out _) += groups;
        }
    }

    private void Count(in PluginStatus status, int groups) => CountRejected(status.Reason ?? status.Code.ToString(), groups);

    /// <summary>One eligibility's verdicts, kept by the action's shared walks and emptied for the next search's.</summary>
    internal sealed class VerdictMemo
    {
        public Dictionary<int, bool> Groups { get; } = [];

        public Dictionary<int, bool> Queues { get; } = [];

        public VerdictMemo Emptied()
        {
            Groups.Clear();
            Queues.Clear();
            return this;
        }
    }
}
