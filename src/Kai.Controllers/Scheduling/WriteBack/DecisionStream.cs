using System.Threading.Channels;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>
/// Writes a cycle's committed bind decisions while the cycle goes on deciding: the engine hands each commit's
/// decisions over (<see cref="ICommitObserver"/>) and a task on another thread writes them in commit order through
/// <see cref="DecisionWriter.WriteCommittedAsync"/>, so on two cores allocate and the bind requests' write-back
/// overlap. The store sees the same writes in the same order as when everything is written after the cycle.
/// </summary>
/// <remarks>
/// Only the decisions before the cycle's first eviction are streamed. Before writing anything the sequential write-back
/// reads the bound pods' DRA claims; an eviction (a pod deleted, the claims it owns collected with it) could change what
/// a later bind reads, so from the first eviction on everything is left to the end of the cycle
/// (<see cref="Written"/> tells the writer where to go on). Bind requests change neither pods nor claims, so a streamed
/// bind reads what it would have read. Decisions are handed over in batches, so the writing thread is woken a few
/// hundred times a cycle, not once per commit.
/// </remarks>
internal sealed class DecisionStream : ICommitObserver
{
    /// <summary>Decisions handed to the writing thread at once (fewer wake-ups; the last batch waits for the cycle's end).</summary>
    private const int BatchSize = 256;

    private readonly Channel<SchedulingDecision[]> _batches = Channel.CreateUnbounded<SchedulingDecision[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly List<SchedulingDecision> _pending = new(BatchSize);
    private readonly CancellationTokenSource _abandoned;
    private readonly Task _writing;
    private bool _evictionSeen;

    public DecisionStream(DecisionWriter writer, ClusterSnapshot snapshot, CancellationToken cancellationToken)
    {
        _abandoned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _abandoned.Token;
        _writing = Task.Run(() => WriteAllAsync(writer, snapshot, token), CancellationToken.None);
    }

    /// <summary>How many of the cycle's first decisions the stream took (all written once <see cref="CompleteAsync"/> returns).</summary>
    public int Written { get; private set; }

    public void OnCommitted(IReadOnlyList<SchedulingDecision> decisions)
    {
        if (_evictionSeen)
        {
            return;
        }

        foreach (var decision in decisions)
        {
            if (decision.Kind == DecisionKind.Evict)
            {
                _evictionSeen = true;
                break;
            }

            _pending.Add(decision);
            Written++;
        }

        if (_pending.Count >= BatchSize || _evictionSeen)
        {
            Hand();
        }
    }

    /// <summary>Hands the last decisions over and waits until every streamed decision is written.</summary>
    public async Task CompleteAsync()
    {
        Hand();
        _batches.Writer.TryComplete();
        await _writing.ConfigureAwait(false);
        _abandoned.Dispose();
    }

    /// <summary>The cycle failed: stops writing (what is written stays: those decisions were committed) and waits for the writing thread.</summary>
    public async Task AbandonAsync()
    {
        await _abandoned.CancelAsync().ConfigureAwait(false);
        _batches.Writer.TryComplete();
        try
        {
            await _writing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the writes were cancelled.
        }

        _abandoned.Dispose();
    }

    private void Hand()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        _batches.Writer.TryWrite([.. _pending]);
        _pending.Clear();
    }

    private async Task WriteAllAsync(DecisionWriter writer, ClusterSnapshot snapshot, CancellationToken cancellationToken)
    {
        var reader = _batches.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                await writer.WriteCommittedAsync(snapshot, batch, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
