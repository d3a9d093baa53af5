using Kai.Cli.Benchmarks;

namespace Kai.Cli.Tests;

public sealed class JitWarmupTests
{
    [Fact]
    public async Task RunAsync_RepeatsRounds_UntilOneCompilesFewerThanTheQuietCount()
    {
        // Rounds 1-4 compile many methods (round 2 few, as the runtime's call counting has not started), round 5 a few:
        // the warm-up stops after round 5.
        long compiled = 0;
        var perRound = new long[] { 5_000, 5, 400, 200, JitWarmup.QuietMethods - 1, 300 };
        var rounds = 0;
        var ran = await JitWarmup.RunAsync(_ => { compiled += perRound[rounds++]; return Task.CompletedTask; }, TimeSpan.Zero, () => compiled);

        Assert.Equal(5, ran);
        Assert.Equal(5, rounds);
    }

    [Fact]
    public async Task RunAsync_RunsTheFewestRounds_EvenWhenTheEarlyRoundsAreQuiet()
    {
        var rounds = 0;
        var ran = await JitWarmup.RunAsync(_ => { rounds++; return Task.CompletedTask; }, TimeSpan.Zero, () => 0);

        Assert.Equal(JitWarmup.MinRounds, ran);
        Assert.Equal(JitWarmup.MinRounds, rounds);
    }

    [Fact]
    public async Task RunAsync_StopsAtMaxRounds_WhenTheJitNeverGoesQuiet()
    {
        long compiled = 0;
        var ran = await JitWarmup.RunAsync(_ => { compiled += 1_000; return Task.CompletedTask; }, TimeSpan.Zero, () => compiled);

        Assert.Equal(JitWarmup.MaxRounds, ran);
    }
}
