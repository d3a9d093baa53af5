using k8s;
using k8s.Models;

namespace Kai.ApiServer.Resources;

/// <summary>
/// events.k8s.io/v1 Events served over the stored core/v1 Events, field for field as the API server converts
/// them (regarding ↔ involvedObject, note ↔ message, reportingController ↔ reportingComponent, deprecated* ↔
/// count, timestamps and source), so both APIs see the same events.
/// </summary>
internal sealed class EventsView : ObjectView
{
    public const string ApiVersion = "events.k8s.io/v1";

    public override Type WireType => typeof(Eventsv1Event);

    public override IKubernetesObject<V1ObjectMeta> ToWire(IKubernetesObject<V1ObjectMeta> stored)
    {
        var e = (Corev1Event)stored;
        return new Eventsv1Event
        {
            ApiVersion = ApiVersion,
            Kind = "Event",
            Metadata = e.Metadata,
            Action = e.Action,
            DeprecatedCount = e.Count,
            DeprecatedFirstTimestamp = e.FirstTimestamp,
            DeprecatedLastTimestamp = e.LastTimestamp,
            DeprecatedSource = e.Source,
            EventTime = e.EventTime,
            Note = e.Message,
            Reason = e.Reason,
            Regarding = e.InvolvedObject,
            Related = e.Related,
            ReportingController = e.ReportingComponent,
            ReportingInstance = e.ReportingInstance,
            Series = e.Series is null ? null : new Eventsv1EventSeries { Count = e.Series.Count ?? 0, LastObservedTime = e.Series.LastObservedTime ?? default },
            Type = e.Type,
        };
    }

    public override IKubernetesObject<V1ObjectMeta> FromWire(IKubernetesObject<V1ObjectMeta> wire)
    {
        var e = (Eventsv1Event)wire;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = e.Metadata,
            Action = e.Action,
            Count = e.DeprecatedCount,
            FirstTimestamp = e.DeprecatedFirstTimestamp,
            LastTimestamp = e.DeprecatedLastTimestamp,
            Source = e.DeprecatedSource,
            EventTime = e.EventTime,
            Message = e.Note,
            Reason = e.Reason,
            InvolvedObject = e.Regarding ?? new V1ObjectReference(),
            Related = e.Related,
            ReportingComponent = e.ReportingController,
            ReportingInstance = e.ReportingInstance,
            Series = e.Series is null ? null : new Corev1EventSeries { Count = e.Series.Count, LastObservedTime = e.Series.LastObservedTime },
            Type = e.Type,
        };
    }
}
