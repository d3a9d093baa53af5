using System.Runtime;

namespace Kai.Cli.Benchmarks;

/// <summary>
/// Repeats a small run of the benchmark until the JIT goes quiet, so that the measured run executes the code a scheduler
/// that has been running executes. One small run is not enough: the runtime first compiles each method quickly and
/// unoptimised, starts counting a method's calls only once no method has been compiled for its call-counting delay
/// (100 ms by default), and compiles the optimised version on a background thread after 30 calls. A single warm-up run
/// of a few tens of milliseconds ends before any of that, and the victim search then ran a third to two thirds of its
/// time in unoptimised code (docs/performance.md, "Twelfth pass").
/// </summary>
internal static class JitWarmup
{
    /// <summary>Most rounds, whatever the JIT does (a round is a small run plus <see cref="DefaultPause"/>).</summary>
    internal const int MaxRounds = 12;

    /// <summary>
    /// Fewest rounds: the first compiles every method unoptimised, the second still meets methods for the first time (each
    /// postpones the call counting), so it is the third that counts calls and starts compiling the optimised code.
    /// </summary>
    internal const int MinRounds = 3;

    /// <summary>A round that compiled fewer methods than this is quiet, and ends the warm-up.</summary>
    internal const int QuietMethods = 50;

    /// <summary>After each round: longer than the call-counting delay, so counting starts and the background compiler catches up.</summary>
    internal static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs <paramref name="round"/> at least <see cref="MinRounds"/> times and until one compiles fewer than <see cref="QuietMethods"/> methods; returns the rounds run.</summary>
    /// <param name="compiledMethods">Methods compiled so far in the process (the runtime's count; a parameter for tests).</param>
    public static async Task<int> RunAsync(Func<CancellationToken, Task> round, TimeSpan pause, Func<long>? compiledMethods = null, CancellationToken cancellationToken = default)
    {
        compiledMethods ??= () => JitInfo.GetCompiledMethodCount();
        for (var rounds = 1; ; rounds++)
        {
            var before = compiledMethods();
            await round(cancellationToken).ConfigureAwait(false);
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            var compiled = compiledMethods() - before;
            if (rounds >= MaxRounds || (rounds >= MinRounds && compiled < QuietMethods))
            {
                return rounds;
            }
        }
    }
}
