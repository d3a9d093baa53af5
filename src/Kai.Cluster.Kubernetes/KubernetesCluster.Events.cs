using System.Globalization;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

public sealed partial class KubernetesCluster
{
    /// <summary>
    /// Creates a core/v1 event, or — for a repeat of one this process recorded — merge-patches its <c>count</c> and
    /// <c>lastTimestamp</c>, as client-go's recorder does.
    /// </summary>
    public async ValueTask<Corev1Event> RecordEventAsync(EventRecord record, CancellationToken cancellationToken = default)
    {
        var kind = Kinds.Get<Corev1Event>();
        var involved = record.InvolvedObject;
        var ns = string.IsNullOrEmpty(involved.NamespaceProperty) ? DefaultNamespace : involved.NamespaceProperty;
        var type = record.Type == EventType.Warning ? "Warning" : "Normal";
        var component = string.IsNullOrEmpty(record.ReportingComponent) ? _options.DefaultReportingComponent : record.ReportingComponent;
        var key = string.Join('\u001f', ns, involved.Kind, involved.Name, involved.Uid, type, record.Reason, record.Message, component);
        var now = Now();

        if (_events.TryGet(key, out var seen))
        {
            var count = seen.Count + 1;
            var patch = new V1Patch(
                $$"""{"count":{{count.ToString(CultureInfo.InvariantCulture)}},"lastTimestamp":"{{now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}"}""",
                V1Patch.PatchType.MergePatch);
            try
            {
                var patched = await CallAsync(c => ResourceOf(kind).PatchAsync(seen.Namespace, seen.Name, patch, status: false, c), cancellationToken).ConfigureAwait(false);
                _events.Set(key, seen with { Count = count });
                return (Corev1Event)patched;
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
            {
                // Expired on the server (events live an hour there): record it afresh.
                _events.Forget(key);
            }
        }

        var created = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { GenerateName = (string.IsNullOrEmpty(involved.Name) ? "event" : involved.Name) + ".", NamespaceProperty = ns },
            InvolvedObject = involved,
            Type = type,
            Reason = record.Reason,
            Message = record.Message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
        };
        var stored = (Corev1Event)await CallAsync(c => ResourceOf(kind).CreateAsync(created, c), cancellationToken).ConfigureAwait(false);
        _events.Set(key, new EventCorrelator.Entry(ns, stored.Metadata.Name, 1, now));
        return stored;
    }

    // Whole seconds, as metav1.Time is written.
    private DateTime Now()
    {
        var ticks = _options.TimeProvider.GetUtcNow().UtcTicks;
        return new DateTime(ticks - (ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
