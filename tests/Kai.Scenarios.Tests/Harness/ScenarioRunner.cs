namespace Kai.Scenarios.Tests.Harness;

/// <summary>Runs one scenario through <c>kai simulate ... -o json</c> in-process and checks its expectations.</summary>
internal static class ScenarioRunner
{
    public static async Task RunAndCheckAsync(string scenario)
    {
        var path = Path.Combine(Repository.ScenariosDirectory, scenario);
        var expectation = ScenarioExpectation.Load(path);
        var directory = Path.GetDirectoryName(path)!;
        string[] config = expectation.Config is { } file ? ["--config", Path.GetFullPath(Path.Combine(directory, file))] : [];
        string[] args = ["simulate", .. expectation.Inputs.Select(i => Path.GetFullPath(Path.Combine(directory, i))), "--now", expectation.Now, "-o", "json", .. config, .. expectation.Args];

        var run = await CliRun.RunAsync(args);

        var problems = ScenarioChecker.Check(expectation.Expect, run, run.Report);
        Assert.True(problems.Count == 0, $"{scenario}: {expectation.Description}\n  - " + string.Join("\n  - ", problems) + $"\nstderr:\n{run.Error}");
    }
}
