using Kai.Scheduling.Model;

namespace Kai.Scheduling.Explanations;

/// <summary>
/// Why a pod group is (still) pending, in words a person can act on, with KAI's reason name:
/// <c>OverLimit</c>, <c>NonPreemptibleOverQuota</c>, <c>QueueDoesNotExist</c>, <c>NotReady</c> or
/// <c>Unschedulable</c> (no node fits).
/// </summary>
/// <param name="Group">The pod group.</param>
/// <param name="Reason">KAI's reason name.</param>
/// <param name="Message">The explanation.</param>
/// <param name="Notes">Why reclaim, preempt or consolidation could not help, by action (may be empty).</param>
public sealed record GroupExplanation(PodGroupKey Group, string Reason, string Message, IReadOnlyList<ActionNote> Notes)
{
    public GroupExplanation(PodGroupKey group, string reason, string message)
        : this(group, reason, message, [])
    {
    }

    public const string OverLimit = "OverLimit";
    public const string NonPreemptibleOverQuota = "NonPreemptibleOverQuota";
    public const string QueueDoesNotExist = "QueueDoesNotExist";
    public const string NotReady = "NotReady";
    public const string Unschedulable = "Unschedulable";

    /// <summary>The message followed by the notes, as one text (for events and conditions).</summary>
    public string FullMessage => Notes.Count == 0 ? Message : $"{Message} {string.Join("; ", Notes)}.";

    public bool Equals(GroupExplanation? other) =>
        other is not null && Group == other.Group && Reason == other.Reason && Message == other.Message && Notes.SequenceEqual(other.Notes);

    public override int GetHashCode() => HashCode.Combine(Group, Reason, Message);
}

/// <summary>Why a disruptive action could not place a pod group.</summary>
public sealed record ActionNote(Configuration.ActionKind Action, string Text)
{
    public override string ToString() => $"{Configuration.ActionNames.Of(Action)}: {Text}";
}
