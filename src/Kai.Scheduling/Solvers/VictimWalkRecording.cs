using System.Runtime.InteropServices;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// A victim walk (<see cref="VictimQueue"/>) written down as it goes: its units in victim order and, for each, the
/// verdicts it asked for while finding it. The walk reads the session (at one state: see <see cref="SharedVictimWalk"/>)
/// and the verdicts, nothing else; so a preemptor whose eligibility gives the verdicts of units 0..i as written would
/// walk units 0..i as written, asking for exactly those verdicts — and may walk on from the written end itself.
/// </summary>
internal sealed class VictimWalkRecording
{
    // The lists are kept in the walk's books (emptied with them for the next walk once this one is dropped).
    private readonly VictimQueue _queue;
    private readonly List<VictimVerdict> _verdicts;
    private readonly List<(int Group, List<int> Unit)> _units;

    // Per unit, its top-level queue's candidate as the top-level ranking compared it when the unit was chosen.
    private readonly List<QueueCandidate> _topCandidates;

    // Where each unit's verdicts end in _verdicts; the verdicts after the last end were asked by the call that found no more units.
    private readonly List<int> _verdictsEnd;
    private bool _released;

    /// <param name="session">The session, at one state while the walk is kept.</param>
    /// <param name="eligibility">The filters the walk asks first.</param>
    /// <param name="catalog">The cycle's evictable groups.</param>
    /// <param name="sessionUnchangedBetweenUnits">See <see cref="VictimQueue.SessionUnchangedBetweenUnits"/>.</param>
    /// <param name="books">Empty books for the walk (null: new ones).</param>
    public VictimWalkRecording(Session session, VictimEligibility eligibility, VictimCatalog catalog, bool sessionUnchangedBetweenUnits, VictimQueueBooks? books = null)
    {
        books ??= new VictimQueueBooks(session.Snapshot.Queues.Count);
        (_verdicts, _units, _topCandidates, _verdictsEnd) = (books.Verdicts, books.Units, books.TopCandidates, books.VerdictsEnd);
        _queue = new VictimQueue(session, eligibility, catalog, books) { SessionUnchangedBetweenUnits = sessionUnchangedBetweenUnits, Verdicts = _verdicts };
        WalkingFor = eligibility;
        CommitCount = session.CommitCount;
    }

    /// <summary>The session's commit count when the walk started; the walk holds while it is the same.</summary>
    public int CommitCount { get; }

    /// <summary>The eligibility the walk asks its next verdicts from.</summary>
    public VictimEligibility WalkingFor { get; private set; }

    /// <summary>Units written so far.</summary>
    public int Count => Books().Units.Count;

    /// <summary>Whether the walk found no more units after the last one written.</summary>
    public bool Ended { get; private set; }

    public (int Group, List<int> Unit) this[int index] => Books().Units[index];

    /// <summary>The candidate of the top-level queue unit <paramref name="index"/> came from, when it was chosen.</summary>
    public QueueCandidate TopCandidate(int index) => Books().TopCandidates[index];

    /// <summary>The verdicts asked while finding unit <paramref name="index"/> (at <see cref="Count"/>: while finding there were no more).</summary>
    public ReadOnlySpan<VictimVerdict> VerdictsOf(int index)
    {
        Books();
        var from = index == 0 ? 0 : _verdictsEnd[index - 1];
        var to = index < _verdictsEnd.Count ? _verdictsEnd[index] : _verdicts.Count;
        return CollectionsMarshal.AsSpan(_verdicts)[from..to];
    }

    /// <summary>
    /// Whether <paramref name="eligibility"/> gives the verdicts asked while finding unit <paramref name="index"/> (or,
    /// at <see cref="Count"/> once <see cref="Ended"/>, while finding there were no more), asking it each in turn.
    /// </summary>
    public bool Agrees(VictimEligibility eligibility, int index)
    {
        foreach (var verdict in VerdictsOf(index))
        {
            if (!verdict.AgreesWith(eligibility))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The walk's books, while it holds them.</summary>
    private VictimQueueBooks Books() =>
        _released ? throw new InvalidOperationException("a dropped victim walk cannot be read: its books went to another walk") : _queue.Books;

    /// <summary>
    /// Drops the walk: it is read and walks no further (the action has no search left that reads it), and its books — the
    /// written units with them — go to the caller to reuse.
    /// </summary>
    public VictimQueueBooks Release()
    {
        _released = true;
        return _queue.Books;
    }

    /// <summary>Walks one unit further, asking <paramref name="eligibility"/> (which must agree with every verdict written); false at the end.</summary>
    public bool WalkOn(VictimEligibility eligibility)
    {
        if (_released)
        {
            throw new InvalidOperationException("a dropped victim walk cannot walk on: its books went to another walk");
        }

        if (!ReferenceEquals(eligibility, WalkingFor))
        {
            _queue.AskFrom(eligibility);
            WalkingFor = eligibility;
        }

        if (!_queue.TryNext(out var group, out var unit))
        {
            Ended = true;
            return false;
        }

        _units.Add((group, unit));
        _topCandidates.Add(_queue.LastTopCandidate);
        _verdictsEnd.Add(_verdicts.Count);
        return true;
    }
}
