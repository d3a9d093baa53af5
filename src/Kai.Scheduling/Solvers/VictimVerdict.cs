namespace Kai.Scheduling.Solvers;

/// <summary>
/// One verdict a victim walk asked for: whether a group may be a victim, or whether a queue's subtree may give victims
/// (with the number of candidate groups it held then, which a rejection counts), and the answer.
/// </summary>
internal readonly record struct VictimVerdict(bool IsQueue, int Id, int Groups, bool Answer)
{
    /// <summary>Whether <paramref name="eligibility"/> gives the same answer (asking it, so it counts the group as the walk would).</summary>
    public bool AgreesWith(VictimEligibility eligibility) =>
        (IsQueue ? eligibility.QueueMayGive(Id, Groups) : eligibility.IsEligible(Id)) == Answer;
}
