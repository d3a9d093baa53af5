using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kai.Conformance.Tests.Harness;

/// <summary>All cases run (in parallel, each independent), and the runner's report of them.</summary>
internal sealed record ConformanceRun(IReadOnlyList<CaseResult> Results, TimeSpan Elapsed)
{
    /// <summary>How much of a failure's reason the report prints, as the Python runner does.</summary>
    private const int ReasonLength = 400;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public int Passed => Results.Count(r => r.Outcome == CaseOutcome.Pass);

    public int Runnable => Results.Count(r => r.Outcome != CaseOutcome.Skip);

    public int Skipped => Results.Count(r => r.Outcome == CaseOutcome.Skip);

    /// <summary><c>kai-conformance: P/T passed (X.Y%), S skipped</c>, the Python runner's last line.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture, $"kai-conformance: {Passed}/{Runnable} passed ({(Runnable == 0 ? 0 : 100.0 * Passed / Runnable):0.0}%), {Skipped} skipped");

    public static async Task<ConformanceRun> RunAsync(IReadOnlyList<ConformanceCase> cases, int parallelism, string? keepRoundsIn = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var results = new CaseResult[cases.Count];
        await Parallel.ForAsync(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, async (i, _) =>
            results[i] = await CaseRunner.RunAsync(cases[i], keepRoundsIn));
        return new ConformanceRun(results, stopwatch.Elapsed);
    }

    /// <summary>The Python runner's output: a FAIL line per failing case, a per-folder table, the summary.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        foreach (var failure in Results.Where(r => r.Outcome == CaseOutcome.Fail).OrderBy(r => r.Case, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"FAIL {failure.Case}: {failure.Reason[..Math.Min(ReasonLength, failure.Reason.Length)]}\n");
        }

        text.Append('\n').Append(CultureInfo.InvariantCulture, $"{"folder",-20}{"passed",8}{"run",6}{"skipped",9}\n");
        foreach (var folder in Results.GroupBy(r => r.Folder).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var passed = folder.Count(r => r.Outcome == CaseOutcome.Pass);
            var run = folder.Count(r => r.Outcome != CaseOutcome.Skip);
            text.Append(CultureInfo.InvariantCulture, $"{folder.Key,-20}{passed,8}{run,6}{folder.Count(r => r.Outcome == CaseOutcome.Skip),9}\n");
        }

        return text.Append(Summary).Append('\n').ToString();
    }

    /// <summary>Per-case results in the Python runner's <c>--json</c> format, to compare the two runners.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        Results.Select(r => new Dictionary<string, string>
        {
            ["case"] = r.Case,
            ["result"] = r.Outcome.ToString().ToLowerInvariant(),
            ["reason"] = r.Reason,
        }),
        Indented);
}
