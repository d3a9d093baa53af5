using Kai.Scenarios.Tests.Harness;

namespace Kai.Scenarios.Tests;

/// <summary>
/// Every <c>Scenarios/**/*.expect.yaml</c> without a <c>skip</c> key: its inputs run through <c>kai simulate</c>
/// in-process (the same path a user takes), and the JSON report must meet the expectations. Scenarios marked
/// <c>skip: "BUG: ..."</c> are listed by <see cref="KnownBugScenarioTests"/> instead.
/// </summary>
public sealed class ScenarioTests
{
    public static TheoryData<string> Scenarios() => ScenarioCatalog.Data(skipped: false);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Simulate_Scenario_MeetsItsExpectations(string scenario) => await ScenarioRunner.RunAndCheckAsync(scenario);
}
