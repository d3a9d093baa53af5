using Kai.Conformance.Tests.Harness;
using Xunit.Abstractions;

namespace Kai.Conformance.Tests;

/// <summary>
/// KAI's own action tests (<c>Cases/</c>), each run through <c>kai simulate</c> in-process and compared as
/// run_kai_cases.py compares them. One test judges them all against <c>conformance-floor.json</c>, so that the
/// suite is green while known gaps remain and red as soon as a case that passed stops passing. The full report
/// (a FAIL line per failing case, a per-folder table) is in the test output and in
/// <c>bin/.../conformance-report.txt</c>. See docs/conformance.md.
/// </summary>
public sealed class KaiConformanceTests(ITestOutputHelper output, RunnerMessages messages) : IClassFixture<RunnerMessages>
{
    /// <summary>Set to 1 to raise the floor file to this run's passes (never lowers it).</summary>
    public const string UpdateVariable = "KAI_CONFORMANCE_UPDATE";

    /// <summary>A directory to keep each integration round's manifests in, for debugging.</summary>
    public const string KeepRoundsVariable = "KAI_CONFORMANCE_KEEP_ROUNDS";

    /// <summary>Another directory of cases (same layout) to run and report instead; the floor is then not judged.</summary>
    public const string CasesVariable = "KAI_CONFORMANCE_CASES";

    [Fact]
    public async Task KaiCases_WhenRunThroughSimulate_NoListedCaseRegressesAndPassesReachTheFloor()
    {
        var otherCases = Environment.GetEnvironmentVariable(CasesVariable) is { Length: > 0 } directory ? Path.GetFullPath(directory) : null;
        var cases = ConformanceCase.Discover(otherCases ?? Repository.CasesDirectory);
        var floor = ConformanceFloor.Load(ConformanceFloor.DefaultPath);

        var run = await ConformanceRun.RunAsync(cases, Environment.ProcessorCount, Environment.GetEnvironmentVariable(KeepRoundsVariable));

        var verdict = FloorVerdict.Judge(floor, run.Results);
        var reportFile = Path.Combine(AppContext.BaseDirectory, "conformance-report.txt");
        var report = run.Report() + $"({run.Results.Count} cases in {run.Elapsed.TotalSeconds:0.0} s; floor {floor.Floor}; this report: {reportFile})\n";
        var advice = otherCases is null ? verdict.RaiseAdvice : $"cases from {otherCases}: the floor is not judged";
        if (advice is not null)
        {
            report += advice + "\n";
        }

        output.WriteLine(report);
        messages.Write(run.Summary + (advice is null ? string.Empty : $" — {advice}"));
        await File.WriteAllTextAsync(reportFile, report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "conformance-results.json"), run.ToJson());
        if (otherCases is not null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            floor.RaisedTo(run.Results).Save(ConformanceFloor.DefaultPath);
        }

        Assert.True(verdict.Problems.Count == 0, string.Join("\n", verdict.Problems) + "\n\n" + report);
    }
}
