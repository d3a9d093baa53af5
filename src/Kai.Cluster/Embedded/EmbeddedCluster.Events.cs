using System.Globalization;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Embedded;

public sealed partial class EmbeddedCluster
{
    /// <summary>
    /// Stores events as ordinary <see cref="Corev1Event"/> objects (listable, on change feeds). A repeat of the
    /// same event bumps <c>count</c> and <c>lastTimestamp</c> in O(1) through <see cref="_events"/>. Events whose
    /// last occurrence is older than <see cref="EmbeddedClusterOptions.EventTimeToLive"/> are deleted first.
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
        ExpireEventsLocked(store, now);
        if (_events.TryFind(key, out var existingKey) && store.Objects.TryGetValue(existingKey, out var existing))
        {
            var previous = (Corev1Event)existing;
            var repeated = previous with { Count = (previous.Count ?? 1) + 1, LastTimestamp = now };
            var renewed = (Corev1Event)Commit(store, existingKey, repeated, previous.Metadata with { }, ChangeType.Modified);
            _events.Renew(key, renewed);
            return renewed;
        }

        // Named like client-go's recorder ("<object>.<hex>"), with a counter instead of the wall clock.
        var prefix = string.IsNullOrEmpty(involved.Name) ? "event" : involved.Name;
        string name;
        do
        {
            // Formatted into the name itself: the counter's hex digits are not a string of their own.
            name = string.Create(CultureInfo.InvariantCulture, $"{prefix}.{++_eventCounter:x}");
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
            Source = SourceOf(record.ReportingComponent),
            ReportingComponent = record.ReportingComponent,
        };
        // The event is made here and kept by no one else: it is stored as made, not copied (queued for expiry by the create).
        var stored = (Corev1Event)CreateLocked(kind, created, restore: false, handOver: true);
        _events.Put(key, stored);
        return stored;
    }

    /// <summary>
    /// Deletes the recorded events whose last occurrence is at least the time to live ago, as the API server's TTL
    /// does (watchers see them deleted). One that occurred again since it was queued is queued again.
    /// </summary>
    private void ExpireEventsLocked(KindStore store, DateTime now)
    {
        if (_eventExpiry is not { } expiry)
        {
            return;
        }

        var removed = false;
        while (expiry.TryTakeDue(now, out var key))
        {
            if (!store.Objects.TryGetValue(key, out var obj))
            {
                continue;
            }

            var last = LastOccurrence((Corev1Event)obj) ?? now;
            if (expiry.Lives(last, now))
            {
                expiry.Add(key, last);
                continue;
            }

            Remove(store, key, obj);
            removed = true;
        }

        if (removed)
        {
            CollectGarbage();
        }
    }

    /// <summary>
    /// Every event created (recorded here, or created as a plain object through <c>kai serve</c>'s API by an
    /// out-of-process recorder or kubectl) expires as the API server's TTL has it; loaded events are kept as given.
    /// </summary>
    private void QueueForExpiryLocked(ObjectKey key, Corev1Event created, DateTime now) =>
        _eventExpiry?.Add(key, LastOccurrence(created) ?? now);

    // As the API server ages an event: its last occurrence, else when it was first seen or stored.
    private static DateTime? LastOccurrence(Corev1Event e) => e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp;

    /// <summary>Drops a removed event from the repeat index, so the index holds no more entries than there are events.</summary>
    private void ForgetEvent(ObjectKey key, Corev1Event removed) => _events.Forget(key, removed);

    // Stored objects are never mutated, so every event of a component can share one source.
    private V1EventSource SourceOf(string component)
    {
        if (!_eventSources.TryGetValue(component, out var source))
        {
            source = new V1EventSource { Component = component };
            _eventSources.Add(component, source);
        }

        return source;
    }

    /// <summary>How many events the repeat index and the expiry queue hold (for tests: neither outgrows the store).</summary>
    internal (int Indexed, int Queued) EventBookkeeping
    {
        get
        {
            lock (_lock)
            {
                return (_events.Count, _eventExpiry?.Count ?? 0);
            }
        }
    }
}
