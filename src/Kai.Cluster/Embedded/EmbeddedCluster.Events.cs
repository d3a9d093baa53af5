using System.Globalization;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    /// <summary>
    /// Stores events as ordinary <see cref="Corev1Event"/> objects (listable, on change feeds). A repeat of the
    /// same event bumps <c>count</c> and <c>lastTimestamp</c> in O(1) through <see cref="_events"/>.
    /// </summary>
    private Corev1Event RecordEventLocked(EventRecord record)
    {
        var kind = _kinds.Get<Corev1Event>();
        var involved = record.InvolvedObject;
        var ns = NamespaceFor(kind, involved.NamespaceProperty);
        var type = record.Type == EventType.Warning ? "Warning" : "Normal";
        var key = new EventKey(ns, involved.Kind, involved.Name, involved.Uid, type, record.Reason, record.Message, record.ReportingComponent);
        var store = StoreFor(kind);
        var now = Now();

        if (_events.TryGetValue(key, out var existingKey) && store.Objects.TryGetValue(existingKey, out var existing))
        {
            var previous = (Corev1Event)existing;
            var repeated = previous with { Count = (previous.Count ?? 1) + 1, LastTimestamp = now };
            return (Corev1Event)Commit(store, existingKey, repeated, previous.Metadata with { }, ChangeType.Modified);
        }

        // Named like client-go's recorder ("<object>.<hex>"), with a counter instead of the wall clock.
        var prefix = string.IsNullOrEmpty(involved.Name) ? "event" : involved.Name;
        string name;
        do
        {
            name = prefix + "." + (++_eventCounter).ToString("x", CultureInfo.InvariantCulture);
        }
        while (store.Objects.ContainsKey(new ObjectKey(ns, name)));

        var created = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            InvolvedObject = involved,
            Type = type,
            Reason = record.Reason,
            Message = record.Message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = record.ReportingComponent },
            ReportingComponent = record.ReportingComponent,
        };
        var stored = (Corev1Event)CreateLocked(kind, created, restore: false);
        _events[key] = new ObjectKey(ns, name);
        return stored;
    }
}
