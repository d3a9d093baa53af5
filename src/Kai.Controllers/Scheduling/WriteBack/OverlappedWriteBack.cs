using System.Runtime.CompilerServices;
using Kai.Scheduling;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Snapshots;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>
/// Writes a cycle's committed decisions on another thread while its later actions still run, then the rest when the
/// cycle ends: the same writes, in the same order, as <see cref="DecisionWriter.WriteDecisionsAsync(ClusterSnapshot, CycleResult, CancellationToken)"/> made after the
/// last action. Committed decisions are final (the session only appends to them), so a prefix can be written early.
/// </summary>
/// <remarks>
/// <para>What keeps the writes those of the sequential write-back:</para>
/// <list type="bullet">
/// <item>One chunk at a time, each after the one before (a chain of tasks), in commit order.</item>
/// <item>A trailing run of binds is held back until a decision of another kind or the end closes it: the bind
/// requests of one run are one batch (<c>CreateManyAsync</c>), and a request refused within a batch is replaced after
/// the whole batch — splitting a run would move that replacement's resource version.</item>
/// <item>Only cycles none of whose pods has DRA claims are written early: the sequential write-back reads the claims'
/// allocations before its first write, and an eviction written early could change what such a read finds.</item>
/// <item>The annotations (started, stale, evicted groups) come after every bind and eviction, from the finished result.</item>
/// </list>
/// <para>The cycle still waits for the writer (<see cref="FinishAsync"/>): its time includes what the writer had left.
/// A cycle whose later action fails has its earlier actions' decisions written (they were committed) and their evicted groups' preemption delay restarted (<see cref="AbandonAsync"/>).</para>
/// </remarks>
internal sealed class OverlappedWriteBack
{
    private readonly DecisionWriter _writer;
    private readonly ClusterSnapshot _snapshot;
    private readonly CancellationToken _cancellationToken;

    /// <summary>
    /// Whether the cycle may be written early (no pod has DRA claims), found when the cycle starts, on its own thread:
    /// found on a thread-pool thread instead, it cost the 140,000-pod cycle's snapshot about 10 ms (measured), more than
    /// the read of every pod it saves (a few milliseconds).
    /// </summary>
    private readonly bool _writesEarly;
    private Task _writing = Task.CompletedTask;

    /// <summary>The chunks written, in order: the cycle's first decisions (added on the writer's thread; read once the chain of writes is awaited).</summary>
    private readonly List<SchedulingDecision[]> _writtenChunks = [];

    private OverlappedWriteBack(DecisionWriter writer, ClusterSnapshot snapshot, CancellationToken cancellationToken)
    {
        _writer = writer;
        _snapshot = snapshot;
        _cancellationToken = cancellationToken;
        _writesEarly = !AnyPodHasClaims(snapshot);
    }

    /// <summary>How many of the cycle's decisions were handed to the writer before the cycle ended.</summary>
    public int Handed { get; private set; }

    /// <summary>Whether chunks are written before the cycle ends (no pod has DRA claims; for tests).</summary>
    internal bool WritesEarly => _writesEarly;

    /// <summary>How many chunks were handed to the writer before the cycle ended (for tests).</summary>
    public int Chunks { get; private set; }

    /// <summary>How many of <see cref="Chunks"/> were handed over from a commit, while an action still ran (for tests).</summary>
    public int ChunksWithinActions { get; private set; }

    /// <summary>
    /// How many decisions a commit must have added since the last offer before <see cref="OnCommitted"/> offers them:
    /// a count, not a time, so that a cycle hands over the same chunks on every run. 0 (the default): only between actions.
    /// </summary>
    internal int CommitChunk { get; private init; }

    /// <summary>The committed count at which <see cref="OnCommitted"/> next offers (a trailing run of binds is looked at once a chunk, not once a commit).</summary>
    private int _nextOffer;

    /// <summary>
    /// An overlapped write-back for the cycle of <paramref name="snapshot"/>. When a pod has DRA claims nothing is
    /// handed over, and <see cref="FinishAsync"/> writes everything after the cycle.
    /// </summary>
    /// <param name="writer">Writes the decisions.</param>
    /// <param name="snapshot">The cycle's snapshot.</param>
    /// <param name="cancellationToken">Stops the writes.</param>
    /// <param name="commitChunk">See <see cref="CommitChunk"/>.</param>
    public static OverlappedWriteBack Start(DecisionWriter writer, ClusterSnapshot snapshot, CancellationToken cancellationToken, int commitChunk = 0) =>
        new(writer, snapshot, cancellationToken) { CommitChunk = commitChunk };

    /// <summary>
    /// The session's commit hook (<see cref="Kai.Scheduling.Framework.Session.Committed"/>): offers the committed
    /// decisions once <see cref="CommitChunk"/> more have come since the last offer, so the writer starts on an
    /// action's decisions while it still runs.
    /// </summary>
    public void OnCommitted(IReadOnlyList<SchedulingDecision> committed)
    {
        if (CommitChunk <= 0 || committed.Count < Math.Max(_nextOffer, Handed + CommitChunk))
        {
            return;
        }

        _nextOffer = committed.Count + CommitChunk;
        var before = Chunks;
        Offer(committed);
        ChunksWithinActions += Chunks - before;
    }

    /// <summary>
    /// Hands the decisions committed since the last call to the writer (on the thread pool), except a trailing run of
    /// binds that a later action may still extend.
    /// </summary>
    /// <param name="committed">The session's committed decisions so far, in commit order.</param>
    public void Offer(IReadOnlyList<SchedulingDecision> committed)
    {
        var end = SettledEnd(committed, Handed);
        if (!_writesEarly || end <= Handed)
        {
            return;
        }

        // Copied here: the session's list grows while the writer reads the chunk.
        var chunk = new SchedulingDecision[end - Handed];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = committed[Handed + i];
        }

        Handed = end;
        Chunks++;
        var previous = _writing;
        _writing = Task.Run(() => WriteAfterAsync(previous, chunk), CancellationToken.None);
    }

    /// <summary>Waits for the chunks handed over, then writes the decisions not written yet and the annotations, as the sequential write-back ends.</summary>
    public async ValueTask FinishAsync(CycleResult result)
    {
        await _writing.ConfigureAwait(false);
        await _writer.WriteDecisionsAsync(_snapshot, result, written: Handed, _cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the chunks handed over when the cycle failed, so that no write outlives it. What was written stays
    /// written (its decisions were committed), so its evicted groups' preemption delay restarts as after a whole cycle;
    /// the started and stale annotations come from a finished cycle's result, which a failed cycle has not. Nothing here
    /// throws: a failure is logged, and the cycle's own failure is what the caller reports.
    /// </summary>
    public async ValueTask AbandonAsync()
    {
        try
        {
            await _writing.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _writer.LogAbandonedWriteFailed(e);
        }

        try
        {
            await _writer.MarkEvictedGroupsAsync(_writtenChunks.SelectMany(chunk => chunk), _cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _writer.LogAbandonedWriteFailed(e);
        }
    }

    /// <summary>Writes <paramref name="chunk"/> after the chunks before it.</summary>
    private async Task WriteAfterAsync(Task previous, SchedulingDecision[] chunk)
    {
        await previous.ConfigureAwait(false);
        await _writer.WriteBindsAndEvictionsAsync(chunk, claims: null, _cancellationToken).ConfigureAwait(false);
        _writtenChunks.Add(chunk);
    }

    /// <summary>Where the decisions from <paramref name="from"/> on stop being final for writing: before a trailing run of binds.</summary>
    internal static int SettledEnd(IReadOnlyList<SchedulingDecision> committed, int from)
    {
        var end = committed.Count;
        while (end > from && committed[end - 1].Kind == DecisionKind.Bind)
        {
            end--;
        }

        return end;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AnyPodHasClaims(ClusterSnapshot snapshot)
    {
        foreach (var pod in snapshot.Pods)
        {
            if (pod.Claims.Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
