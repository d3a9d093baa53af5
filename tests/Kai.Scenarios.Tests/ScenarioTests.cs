using Kai.Scenarios.Tests.Harness;

namespace Kai.Scenarios.Tests;

/// <summary>
/// Every <c>Scenarios/*.expect.yaml</c>: its inputs run through <c>kai simulate</c> in-process (the same path a
/// user takes), and the JSON report must meet the expectations.
/// </summary>
public sealed class ScenarioTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.ScenariosDirectory, "*.expect.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Repository.ScenariosDirectory, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Simulate_Scenario_MeetsItsExpectations(string scenario)
    {
        var path = Path.Combine(Repository.ScenariosDirectory, scenario);
        var expectation = ScenarioExpectation.Load(path);
        var directory = Path.GetDirectoryName(path)!;
        string[] args = ["simulate", .. expectation.Inputs.Select(i => Path.GetFullPath(Path.Combine(directory, i))), "--now", expectation.Now, "-o", "json", .. expectation.Args];

        var run = await CliRun.RunAsync(args);

        var problems = ScenarioChecker.Check(expectation.Expect, run, run.Report);
        Assert.True(problems.Count == 0, $"{scenario}: {expectation.Description}\n  - " + string.Join("\n  - ", problems) + $"\nstderr:\n{run.Error}");
    }
}
