using k8s.Models;

namespace Kai.Cluster.Embedded;

/// <summary>
/// The recorded events that a repeat finds (client-go's correlator key: <see cref="EventKey"/>), as a set of the
/// stored events themselves compared by the key's fields: 16 bytes an event instead of the 88 of a dictionary from
/// a key of eight strings to the event's name (that dictionary is kept as the reference, <c>compact: false</c>, for
/// the tests that compare the two). A repeat stores a new version of its event, which replaces the old one here.
/// </summary>
internal sealed class RecordedEvents
{
    private readonly HashSet<Corev1Event> _events = new(EventIdentity.Instance);
    private readonly HashSet<Corev1Event>.AlternateLookup<EventKey> _byKey;
    private readonly Dictionary<EventKey, ObjectKey>? _reference;

    public RecordedEvents(bool compact = true)
    {
        _byKey = _events.GetAlternateLookup<EventKey>();
        _reference = compact ? null : [];
    }

    public int Count => _reference?.Count ?? _events.Count;

    /// <summary>Where the event recorded with <paramref name="key"/> is stored, if one is indexed.</summary>
    public bool TryFind(in EventKey key, out ObjectKey stored)
    {
        if (_reference is not null)
        {
            return _reference.TryGetValue(key, out stored);
        }

        if (_byKey.TryGetValue(key, out var indexed))
        {
            stored = StoredAt(indexed);
            return true;
        }

        stored = default;
        return false;
    }

    /// <summary>Indexes a newly recorded event (recorded with <paramref name="key"/>), in place of any entry with its key.</summary>
    public void Put(in EventKey key, Corev1Event recorded)
    {
        if (_reference is not null)
        {
            _reference[key] = StoredAt(recorded);
            return;
        }

        // A new key (most events) is added with one hash of its eight fields; an entry with the key is replaced.
        if (!_events.Add(recorded))
        {
            _events.Remove(recorded);
            _events.Add(recorded);
        }
    }

    /// <summary>
    /// Indexes the new version of the event found for <paramref name="key"/>, so the index holds the stored version
    /// (an old one would be kept alive by it). A stored event replaced since through the API with other fields keeps
    /// its entry as it was: the key still finds it.
    /// </summary>
    public void Renew(in EventKey key, Corev1Event renewed)
    {
        if (_reference is null && EventIdentity.KeyOf(renewed) == key)
        {
            Put(key, renewed);
        }
    }

    /// <summary>Drops the entry of <paramref name="removed"/>'s key if it names the event stored at <paramref name="key"/>.</summary>
    public void Forget(ObjectKey key, Corev1Event removed)
    {
        if (_reference is not null)
        {
            if (_reference.TryGetValue(EventIdentity.KeyOf(removed), out var named) && named == key)
            {
                _reference.Remove(EventIdentity.KeyOf(removed));
            }

            return;
        }

        if (_events.TryGetValue(removed, out var indexed) && StoredAt(indexed) == key)
        {
            _events.Remove(indexed);
        }
    }

    private static ObjectKey StoredAt(Corev1Event e) => new(e.Metadata.NamespaceProperty ?? string.Empty, e.Metadata.Name);

    /// <summary>
    /// Two events are the same recorded event when the fields of their <see cref="EventKey"/> are equal (a missing
    /// field reads as empty); a key is compared with an event the same way, without building either from the other.
    /// </summary>
    private sealed class EventIdentity : IEqualityComparer<Corev1Event>, IAlternateEqualityComparer<EventKey, Corev1Event>
    {
        public static readonly EventIdentity Instance = new();

        public bool Equals(Corev1Event? x, Corev1Event? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && Equals(KeyOf(x), y));

        public int GetHashCode(Corev1Event obj) => GetHashCode(KeyOf(obj));

        public bool Equals(EventKey alternate, Corev1Event other) => alternate == KeyOf(other);

        public int GetHashCode(EventKey alternate) => alternate.GetHashCode();

        public Corev1Event Create(EventKey alternate) =>
            throw new NotSupportedException("recorded events are indexed as stored, never made from a key");

        // The key an event was recorded with, read back from its stored fields.
        public static EventKey KeyOf(Corev1Event e)
        {
            var involved = e.InvolvedObject;
            return new EventKey(
                e.Metadata?.NamespaceProperty ?? string.Empty,
                involved?.Kind,
                involved?.Name,
                involved?.Uid,
                e.Type ?? string.Empty,
                e.Reason ?? string.Empty,
                e.Message ?? string.Empty,
                e.ReportingComponent ?? string.Empty);
        }
    }
}
