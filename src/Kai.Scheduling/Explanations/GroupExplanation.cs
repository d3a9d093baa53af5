namespace Kai.Scheduling.Explanations;

/// <summary>
/// Why a pod group is (still) pending, in words a person can act on, with KAI's reason name:
/// <c>OverLimit</c>, <c>NonPreemptibleOverQuota</c>, <c>QueueDoesNotExist</c>, <c>NotReady</c> or
/// <c>Unschedulable</c> (no node fits).
/// </summary>
/// <param name="Namespace">Pod group namespace.</param>
/// <param name="Name">Pod group name.</param>
/// <param name="Reason">KAI's reason name.</param>
/// <param name="Message">The explanation.</param>
/// <param name="Notes">Why reclaim, preempt or consolidation could not help, by action (may be empty).</param>
public sealed record GroupExplanation(string Namespace, string Name, string Reason, string Message, IReadOnlyList<ActionNote> Notes)
{
    public GroupExplanation(string @namespace, string name, string reason, string message)
        : this(@namespace, name, reason, message, [])
    {
    }

    public const string OverLimit = "OverLimit";
    public const string NonPreemptibleOverQuota = "NonPreemptibleOverQuota";
    public const string QueueDoesNotExist = "QueueDoesNotExist";
    public const string NotReady = "NotReady";
    public const string Unschedulable = "Unschedulable";

    public string Key => $"{Namespace}/{Name}";

    /// <summary>The message followed by the notes, as one text (for events and conditions).</summary>
    public string FullMessage => Notes.Count == 0 ? Message : $"{Message} {string.Join("; ", Notes)}.";

    public bool Equals(GroupExplanation? other) =>
        other is not null && Namespace == other.Namespace && Name == other.Name && Reason == other.Reason && Message == other.Message && Notes.SequenceEqual(other.Notes);

    public override int GetHashCode() => HashCode.Combine(Namespace, Name, Reason, Message);
}

/// <summary>Why a disruptive action could not place a pod group.</summary>
public sealed record ActionNote(Configuration.ActionKind Action, string Text)
{
    public override string ToString() => $"{Configuration.ActionNames.Of(Action)}: {Text}";
}
