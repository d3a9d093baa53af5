using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// An event to record about <see cref="InvolvedObject"/>. Recording the same (object, type, reason, message,
/// component) again increments <c>count</c> on the existing event instead of creating a new one, as client-go's
/// recorder does.
/// </summary>
/// <param name="ReportingComponent">Who reports it, e.g. "kai-scheduler"; written as <c>source.component</c> and <c>reportingComponent</c>.</param>
public sealed record EventRecord(V1ObjectReference InvolvedObject, EventType Type, string Reason, string Message, string ReportingComponent)
{
    /// <summary>
    /// When it happened, for a recorder that writes it later (the binder's event lane): the event's timestamps are
    /// this time, not the time of the write, as client-go stamps an event when it is recorded. Null: now. The
    /// embedded cluster writes every event at once, so there the two are the same and it keeps its own clock.
    /// </summary>
    public DateTimeOffset? OccurredAt { get; init; }
}
