using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// An event to record about <see cref="InvolvedObject"/>. Recording the same (object, type, reason, message,
/// component) again increments <c>count</c> on the existing event instead of creating a new one, as client-go's
/// recorder does.
/// </summary>
/// <param name="ReportingComponent">Who reports it, e.g. "kai-scheduler"; written as <c>source.component</c> and <c>reportingComponent</c>.</param>
public sealed record EventRecord(V1ObjectReference InvolvedObject, EventType Type, string Reason, string Message, string ReportingComponent);
