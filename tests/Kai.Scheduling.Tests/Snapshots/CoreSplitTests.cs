using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Snapshots;

public sealed class CoreSplitTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(100, 3)]
    [InlineData(10_000, 2_048)]
    [InlineData(140_000, 2_048)]
    public void For_RunsEveryIndexOnce_InContiguousChunks(int count, int chunkItems)
    {
        var split = new CoreSplit(minimumItems: 0, chunkItems);
        var visits = new int[count];
        var chunks = split.ChunksOf(count);
        var ranges = new (int Start, int End)[chunks];
        split.For(count, (chunk, start, end) =>
        {
            ranges[chunk] = (start, end);
            for (var i = start; i < end; i++)
            {
                Interlocked.Increment(ref visits[i]);
            }
        });

        Assert.All(visits, v => Assert.Equal(1, v));
        Assert.InRange(chunks, count < 2 ? 1 : 2, 16);
        for (var c = 0; c < chunks; c++)
        {
            Assert.Equal(c == 0 ? 0 : ranges[c - 1].End, ranges[c].Start);
        }

        Assert.Equal(count, ranges[^1].End);
    }

    [Fact]
    public void ChunksOf_BelowTheMinimum_IsOneChunk()
    {
        Assert.Equal(1, new CoreSplit(minimumItems: 8_192, chunkItems: 2_048).ChunksOf(8_191));
        Assert.Equal(4, new CoreSplit(minimumItems: 8_192, chunkItems: 2_048).ChunksOf(8_192));
        Assert.Equal(1, CoreSplit.Sequential.ChunksOf(1_000_000));
    }

    /// <summary>
    /// The current thread's first chunk holds until the pool's thread has taken one, and that one holds until every chunk
    /// was taken: so the current thread runs out of chunks while the other still runs one, and must wait for it.
    /// </summary>
    [Fact]
    public void For_WhenTheOtherThreadStillRunsAChunk_ReturnsOnlyAfterIt()
    {
        const int Chunks = 16;
        var split = new CoreSplit(minimumItems: 0, chunkItems: 1);
        var caller = Environment.CurrentManagedThreadId;
        using var otherStarted = new ManualResetEventSlim();
        using var allTaken = new ManualResetEventSlim();
        var taken = 0;
        var finished = 0;
        var byOther = 0;
        split.For(Chunks, (_, _, _) =>
        {
            if (Interlocked.Increment(ref taken) == Chunks)
            {
                allTaken.Set();
            }

            if (Environment.CurrentManagedThreadId == caller)
            {
                otherStarted.Wait();
            }
            else
            {
                Interlocked.Increment(ref byOther);
                otherStarted.Set();
                allTaken.Wait();
            }

            Interlocked.Increment(ref finished);
        });

        Assert.Equal(Chunks, Volatile.Read(ref finished));
        Assert.True(byOther >= 1);
    }

    [Fact]
    public void For_WhenAChunkThrows_RethrowsAfterTheOthersRan()
    {
        var split = new CoreSplit(minimumItems: 0, chunkItems: 1);
        var ran = 0;
        var thrown = Assert.Throws<InvalidOperationException>(() => split.For(8, (chunk, _, _) =>
        {
            Interlocked.Increment(ref ran);
            if (chunk == 3)
            {
                throw new InvalidOperationException("chunk 3");
            }
        }));

        Assert.Equal("chunk 3", thrown.Message);
        Assert.Equal(8, ran);
    }

    [Fact]
    public void Both_RunsEachPieceOnce_SplitOrNot()
    {
        foreach (var split in new[] { CoreSplit.Sequential, new CoreSplit(minimumItems: 0, chunkItems: 1) })
        {
            var first = 0;
            var second = 0;
            split.Both(10, () => Interlocked.Increment(ref first), () => Interlocked.Increment(ref second));
            Assert.Equal((1, 1), (first, second));
        }
    }
}
