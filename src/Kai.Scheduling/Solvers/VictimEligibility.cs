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
    // over, VictimVerdictMemo) or made when first asked.
    private VictimVerdictMemo? _memo;

    private readonly Dictionary<string, int> _rejections = new(StringComparer.Ordinal);

    // The reason of the latest rejections counted and how many are not yet in _rejections (see CountsRunsOfOneReason).
    private string? _runReason;
    private int _runCount;

    private VictimVerdictMemo Memo => _memo ??= NewMemo();

    /// <summary>When set, only this leaf queue's groups can be victims (preempt stays in its queue).</summary>
    public int? OnlyLeaf { get; init; }

    /// <summary>
    /// Whether the verdicts are kept in arrays indexed by group and queue rather than dictionaries (<see cref="VictimVerdictMemo"/>),
    /// where the walk may look at every queue (reclaim's few memos, lent from search to search, answer hundreds of thousands of
    /// looks a cycle); a walk confined to one leaf (preempt) asks a few scattered groups, and its memos, hundreds of them kept
    /// with their walks, stay dictionaries rather than arrays sized by every group. Off only in tests that compare.
    /// </summary>
    internal bool KeepsVerdictsInArrays { get; init; } = true;

    /// <summary>Whether this eligibility's memos are arrays (<see cref="KeepsVerdictsInArrays"/>).</summary>
    internal bool WantsArrayMemo => KeepsVerdictsInArrays && OnlyLeaf is null;

    /// <summary>
    /// Whether rejections given one after another with the very same reason text (a walk refuses a leaf's groups one by one,
    /// all with the words the filter keeps for that leaf) are added up first and written into <see cref="Rejections"/> once
    /// per run, instead of hashing the long text at every refusal; off only in tests that compare.
    /// </summary>
    internal bool CountsRunsOfOneReason { get; init; } = true;

    /// <summary>Why groups were left out, with how many, among those looked at.</summary>
    public Dictionary<string, int> Rejections
    {
        get
        {
            WriteRun();
            return _rejections;
        }
    }

    /// <summary>How many groups looked at may be victims.</summary>
    public int EligibleSeen { get; private set; }

    /// <summary>Whether a queue's subtree may give victims at all; when not, its <paramref name="groups"/> are counted as rejected once.</summary>
    public bool QueueMayGive(int queue, int groups)
    {
        if (filterQueue is null)
        {
            return true;
        }

        var verdicts = Memo;
        if (verdicts.TryGetQueue(queue, out var may))
        {
            return may;
        }

        var status = filterQueue(queue);
        may = status.IsSuccess;
        verdicts.SetQueue(queue, may);
        if (!may && groups > 0)
        {
            Count(status, groups);
        }

        return may;
    }

    public bool IsEligible(int group)
    {
        var verdicts = Memo;
        if (verdicts.TryGetGroup(group, out var eligible))
        {
            return eligible;
        }

        if (group == preemptor)
        {
            verdicts.SetGroup(group, false);
            return false;
        }

        var status = filter(group);
        eligible = status.IsSuccess;
        verdicts.SetGroup(group, eligible);
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
    internal void Lend(VictimVerdictMemo memo)
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
    internal VictimVerdictMemo? GiveBack()
    {
        var memo = _memo;
        _memo = null;
        return memo;
    }

    /// <summary>A new memo of the form this eligibility keeps its verdicts in (for the shared walks to lend it).</summary>
    /// <param name="groups">The session's pod groups (0: the arrays grow as ids are asked).</param>
    /// <param name="queues">The session's queues (0: the arrays grow as ids are asked).</param>
    internal VictimVerdictMemo NewMemo(int groups = 0, int queues = 0) => new(WantsArrayMemo, groups, queues);

    /// <summary>Counts <paramref name="groups"/> groups left out for <paramref name="reason"/> (none: nothing is written).</summary>
    internal void CountRejected(string reason, int groups)
    {
        if (groups <= 0)
        {
            return;
        }

        if (!CountsRunsOfOneReason)
        {
            WriteCount(reason, groups);
            return;
        }

        // The same text as the latest rejection (the same string, not only equal words): one more of the run.
        if (!ReferenceEquals(reason, _runReason))
        {
            WriteRun();
            _runReason = reason;
        }

        _runCount += groups;
    }

    /// <summary>Writes the counted run into the rejections.</summary>
    private void WriteRun()
    {
        if (_runReason is { } reason)
        {
            WriteCount(reason, _runCount);
            (_runReason, _runCount) = (null, 0);
        }
    }

    // One lookup of the reason (a long text, hashed in full), not two: most verdicts a walk asks are refusals.
    private void WriteCount(string reason, int groups) => CollectionsMarshal.GetValueRefOrAddDefault(_rejections, reason, out _) += groups;

    private void Count(in PluginStatus status, int groups) => CountRejected(status.Reason ?? status.Code.ToString(), groups);
}
