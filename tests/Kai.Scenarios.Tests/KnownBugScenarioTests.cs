using System.Reflection;
using Kai.Scenarios.Tests.Harness;
using Xunit.Sdk;

namespace Kai.Scenarios.Tests;

/// <summary>
/// Scenarios the product does not meet yet (their expectation file has <c>skip: "BUG: ..."</c>, which says what is
/// wrong). Each is reported as skipped, one per scenario; remove the key from a scenario once its bug is fixed and it
/// runs with <see cref="ScenarioTests"/> again.
/// </summary>
public sealed class KnownBugScenarioTests
{
    [Theory]
    [KnownBugScenarios]
    public async Task Simulate_KnownBugScenario_MeetsItsExpectationsOnceFixed(string scenario) => await ScenarioRunner.RunAndCheckAsync(scenario);

    /// <summary>The scenarios marked as known bugs, every row skipped.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class KnownBugScenariosAttribute : DataAttribute
    {
        public KnownBugScenariosAttribute() => Skip = "known product bug: see the scenario's 'skip' key";

        /// <remarks>With no scenario marked, one placeholder row (skipped like the others) keeps xunit from failing the theory for want of data.</remarks>
        public override IEnumerable<object[]> GetData(MethodInfo testMethod)
        {
            var rows = ScenarioCatalog.Data(skipped: true);
            return rows.Count > 0 ? rows : [["(no scenario is marked as a known bug)"]];
        }
    }
}
