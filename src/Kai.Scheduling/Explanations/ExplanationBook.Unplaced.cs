using System.Text;
using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Explanations;

/// <summary>
/// A pod that found no node: what the failure's message is written from, counted when the failure is recorded (the
/// node-by-node breakdown reads the books as they stand then) and written out only when the message is read.
/// </summary>
/// <remarks>
/// A group's failure is recorded again at every try that fails and only the last one is read, at the end of the
/// session: writing each message when it was recorded cost some 5.7 MB of strings on the 4,000-node bench for
/// messages nobody read. The text depends only on what is kept here and on the snapshot, which does not change.
/// </remarks>
public sealed partial class ExplanationBook
{
    /// <summary>
    /// Whether a pod's failure to find a node is kept as its facts and written out when read (<see cref="MessageOf"/>);
    /// false writes it when recorded, as before (tests compare both).
    /// </summary>
    internal bool DescribesUnplacedWhenRead { get; set; } = true;

    private void RecordUnplacedIn(int group, int pod, int placed, int wanted, NodeSet? within)
    {
        var unplaced = new Unplaced(pod, placed, wanted, within, BreakdownFor(pod, memoize: placed == 0 && within is null, within));
        _failures[group] = DescribesUnplacedWhenRead
            ? new Failure(GroupExplanation.Unschedulable, null, unplaced)
            : new Failure(GroupExplanation.Unschedulable, Describe(unplaced), default);
    }

    /// <summary>The failure's message: the one recorded, or the pod's that found no node written out now.</summary>
    private string MessageOf(in Failure failure) => failure.Message ?? Describe(failure.Unplaced);

    private string Describe(in Unplaced unplaced)
    {
        var snapshot = _session.Snapshot;
        var pod = snapshot.Pods[unplaced.Pod];
        var breakdown = unplaced.Breakdown!;
        var within = unplaced.Within;
        var text = new StringBuilder();
        if (unplaced.Wanted > 1)
        {
            text.Append($"gang needs {unplaced.Wanted} more pods placed together; only {unplaced.Placed} could be: pod {pod.Key} ");
        }
        else
        {
            text.Append($"pod {pod.Key} ");
        }

        text.Append($"(requests {Describe(pod.Request, snapshot.Catalog, pod.Gpu)}) does not fit: ");
        if (breakdown.LargestNodeShortfall is { } shortfall)
        {
            text.Append(shortfall).Append("; ");
        }

        text.Append($"{breakdown.FittingNodes}/{within?.Count ?? _session.Nodes.Length} nodes {(within is null ? string.Empty : $"of {within.Name} ")}fit");
        if (breakdown.Reasons.Count > 0)
        {
            text.Append(": ").Append(string.Join(", ", breakdown.Reasons.Select(r => $"{r.Count} {r.Status}")));
        }

        text.Append('.');
        return text.ToString();
    }

    /// <summary>Why a group could not be placed: the explanation's reason, and its message or the facts it is written from.</summary>
    private readonly record struct Failure(string Reason, string? Message, Unplaced Unplaced)
    {
        public Failure(string reason, string message)
            : this(reason, message, default)
        {
        }
    }

    /// <summary>A pod that found no node after <see cref="Placed"/> of <see cref="Wanted"/> were placed, and the nodes' verdicts on it then.</summary>
    private readonly record struct Unplaced(int Pod, int Placed, int Wanted, NodeSet? Within, NodeBreakdown? Breakdown);
}
