namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// Runs one case as run_kai_cases.py does. A single-session case is one simulate call with the case's actions;
/// an integration case replays KAI's RunTest: <c>rounds_until_match</c> calls with all five actions, the
/// manifests rewritten after each (<see cref="RoundRewriter"/>), then the rewritten manifests must match, and
/// the report must keep matching for <c>rounds_after_match</c> further rounds.
/// </summary>
internal static class CaseRunner
{
    public static readonly IReadOnlyList<string> AllActions = ["allocate", "consolidation", "reclaim", "preempt", "stalegangeviction"];

    /// <param name="keepRoundsIn">A directory to keep each integration round's manifests in; null = a temporary one, deleted afterwards.</param>
    public static async Task<CaseResult> RunAsync(ConformanceCase conformanceCase, string? keepRoundsIn = null)
    {
        var expectation = CaseExpectation.Load(Path.Combine(conformanceCase.Directory, "expect.json"));
        if (expectation.SkipReason is { } skip)
        {
            return new CaseResult(conformanceCase.Id, CaseOutcome.Skip, skip);
        }

        var config = expectation.ConfigFile is { } file ? Path.Combine(conformanceCase.Directory, file) : null;
        if (!File.Exists(conformanceCase.ScenarioFile) || (config is not null && !File.Exists(config)))
        {
            throw new HarnessException($"{conformanceCase.Id}: scenario.yaml or config.yaml missing");
        }

        try
        {
            if (expectation.Kind == "single_session")
            {
                using var report = await SimulateCall.RunAsync(conformanceCase.ScenarioFile, expectation.Actions, config, expectation.Now);
                var differences = CaseComparison.Compare(expectation, PodViews.FromOutput(report.RootElement));
                if (differences.Count > 0)
                {
                    throw new CaseFailure(CaseComparison.Brief(differences));
                }
            }
            else
            {
                await RunRoundsAsync(conformanceCase, expectation, config, keepRoundsIn);
            }

            return new CaseResult(conformanceCase.Id, CaseOutcome.Pass, string.Empty);
        }
        catch (CaseFailure failure)
        {
            return new CaseResult(conformanceCase.Id, CaseOutcome.Fail, failure.Message);
        }
    }

    private static async Task RunRoundsAsync(ConformanceCase conformanceCase, CaseExpectation expectation, string? config, string? keepRoundsIn)
    {
        var documents = YamlTree.LoadDocuments(conformanceCase.ScenarioFile);
        var work = keepRoundsIn is null
            ? Directory.CreateTempSubdirectory($"kai-conformance.{conformanceCase.Id.Replace('/', '_')}.").FullName
            : Directory.CreateDirectory(Path.Combine(keepRoundsIn, conformanceCase.Id.Replace('/', '_'))).FullName;
        var round = 0;
        try
        {
            async Task<Dictionary<string, PodObservation>> OneRoundAsync(string label)
            {
                round++;
                var path = Path.Combine(work, $"round-{round:00}.yaml");
                YamlTree.SaveDocuments(path, documents, $"# {conformanceCase.Id}: input of round {round} ({label}), rewritten by the conformance harness\n");
                try
                {
                    using var report = await SimulateCall.RunAsync(path, AllActions, config, expectation.Now);
                    var view = PodViews.FromOutput(report.RootElement);
                    RoundRewriter.Rewrite(documents, view, expectation, report.RootElement);
                    return view;
                }
                catch (CaseFailure failure)
                {
                    throw new CaseFailure($"round {round} ({label}): {failure.Message}");
                }
            }

            for (var i = 0; i < expectation.RoundsUntilMatch; i++)
            {
                await OneRoundAsync("until match");
            }

            var differences = CaseComparison.Compare(expectation, PodViews.FromManifests(documents, expectation.DefaultNamespace));
            if (differences.Count > 0)
            {
                throw new CaseFailure($"after {expectation.RoundsUntilMatch} round(s): {CaseComparison.Brief(differences)}");
            }

            for (var i = 1; i <= expectation.RoundsAfterMatch; i++)
            {
                var view = await OneRoundAsync($"after match {i}/{expectation.RoundsAfterMatch}");
                differences = CaseComparison.Compare(expectation, view);
                if (differences.Count > 0)
                {
                    throw new CaseFailure($"round {round} (after match {i}/{expectation.RoundsAfterMatch}): {CaseComparison.Brief(differences)}");
                }
            }
        }
        finally
        {
            if (keepRoundsIn is null)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }
}
