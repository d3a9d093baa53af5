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
public sealed record GroupExplanation(string Namespace, string Name, string Reason, string Message)
{
    public const string OverLimit = "OverLimit";
    public const string NonPreemptibleOverQuota = "NonPreemptibleOverQuota";
    public const string QueueDoesNotExist = "QueueDoesNotExist";
    public const string NotReady = "NotReady";
    public const string Unschedulable = "Unschedulable";

    public string Key => $"{Namespace}/{Name}";
}
