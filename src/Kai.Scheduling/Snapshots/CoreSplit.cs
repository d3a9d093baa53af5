using System.Runtime.ExceptionServices;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// Splits a loop over a large snapshot into chunks that the current thread and one thread-pool thread take in turn,
/// each chunk writing only its own indices of arrays sized beforehand: the result is the sequential loop's whatever
/// thread ran which chunk, and whenever the pool's thread started. The current thread never waits for a chunk nobody
/// took: when the pool is slow to start (or busy), it runs every chunk itself, so the split costs one queued work item.
/// Below <see cref="MinimumItems"/> the loop runs as one chunk on the current thread (handing work over costs more
/// than it saves on a small cluster).
/// </summary>
public sealed class CoreSplit
{
    /// <summary>The most chunks a loop is cut into: enough that a late start of the second thread still leaves it work.</summary>
    private const int MaxChunks = 16;

    /// <summary>Every loop on the current thread, in one chunk.</summary>
    public static CoreSplit Sequential { get; } = new(int.MaxValue, int.MaxValue);

    /// <summary>
    /// What the scheduler uses: loops over at least 8,192 items are split (docs/performance.md, "Nineteenth pass": at
    /// 1,000 nodes and fewer the snapshot takes a few milliseconds and a split gained nothing measurable).
    /// </summary>
    public static CoreSplit Default { get; } = new(8_192, 2_048);

    /// <param name="minimumItems">Loops over fewer items than this run as one chunk on the current thread.</param>
    /// <param name="chunkItems">About how many items a chunk holds (between 2 and 16 chunks a loop).</param>
    public CoreSplit(int minimumItems, int chunkItems)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumItems);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkItems, 1);
        MinimumItems = minimumItems;
        ChunkItems = chunkItems;
    }

    public int MinimumItems { get; }

    public int ChunkItems { get; }

    /// <summary>Into how many chunks a loop over <paramref name="count"/> items is cut (1: not split).</summary>
    public int ChunksOf(int count) =>
        count < MinimumItems || count < 2 ? 1 : Math.Clamp(count / ChunkItems, 2, Math.Min(MaxChunks, count));

    /// <summary>Where chunk <paramref name="chunk"/> of <paramref name="chunks"/> starts in a loop over <paramref name="count"/> items.</summary>
    public static int StartOf(int chunk, int chunks, int count) => (int)((long)chunk * count / chunks);

    /// <summary>
    /// Runs <paramref name="body"/>(chunk, start, end) over every chunk of [0, <paramref name="count"/>) (see
    /// <see cref="ChunksOf"/>), on this thread and at most one other; returns when every chunk has run.
    /// </summary>
    public void For(int count, Action<int, int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var chunks = ChunksOf(count);
        if (chunks == 1)
        {
            body(0, 0, count);
            return;
        }

        Run(chunks, chunk => body(chunk, StartOf(chunk, chunks, count), StartOf(chunk + 1, chunks, count)));
    }

    /// <summary>Runs two independent pieces of work, on two threads when <paramref name="items"/> reaches <see cref="MinimumItems"/>.</summary>
    public void Both(int items, Action first, Action second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (items < MinimumItems)
        {
            first();
            second();
            return;
        }

        Run(2, chunk => (chunk == 0 ? first : second)());
    }

    private static void Run(int chunks, Action<int> chunk)
    {
        var shared = new SharedChunks(chunks, chunk);
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Drain(), shared, preferLocal: false);
        shared.Drain();
        shared.AwaitAll();
    }

    /// <summary>The chunks of one loop: each is taken by exactly one thread (a counter both threads increment).</summary>
    private sealed class SharedChunks(int chunks, Action<int> chunk)
    {
        private readonly object _gate = new();
        private int _next = -1;
        private int _done;
        private ExceptionDispatchInfo? _failure;

        /// <summary>Takes and runs chunks until none is left.</summary>
        public void Drain()
        {
            int taken;
            while ((taken = Interlocked.Increment(ref _next)) < chunks)
            {
                try
                {
                    chunk(taken);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }

                if (Interlocked.Increment(ref _done) == chunks)
                {
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }

        /// <summary>Waits for the chunk the other thread may still be running (none taken is none to wait for), then rethrows a failure.</summary>
        public void AwaitAll()
        {
            if (Volatile.Read(ref _done) < chunks)
            {
                var spin = new SpinWait();
                while (Volatile.Read(ref _done) < chunks && !spin.NextSpinWillYield)
                {
                    spin.SpinOnce();
                }

                lock (_gate)
                {
                    while (Volatile.Read(ref _done) < chunks)
                    {
                        Monitor.Wait(_gate);
                    }
                }
            }

            _failure?.Throw();
        }
    }
}
