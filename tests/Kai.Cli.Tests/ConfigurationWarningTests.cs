
namespace Kai.Cli.Tests;

public sealed class ConfigurationWarningTests
{
    private const string NotImplementedPlugin = "tiers:\n  - plugins:\n      - name: predicates\n      - name: proportion\n      - name: snapshot\n";

    [Fact]
    public async Task Simulate_WhenConfigListsANotImplementedPlugin_WarnsOnStderrAndRunsWithWarnings()
    {
        var config = CliInputs.WriteConfig("not-implemented-table.yaml", NotImplementedPlugin);

        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--config", config);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"warning: {config}:5: plugin 'snapshot' is accepted for compatibility with KAI but not implemented, so it has no effect", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_WhenConfigListsANotImplementedPlugin_TheJsonReportCarriesTheWarningToo()
    {
        var config = CliInputs.WriteConfig("not-implemented-json.yaml", NotImplementedPlugin);

        var run = await CliRun.RunAsync("simulate", CliInputs.Quickstart, "--now", CliInputs.Now, "--config", config, "--output", "json");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"warning: {config}:5: plugin 'snapshot'", run.Error, StringComparison.Ordinal);
        var diagnostic = Assert.Single(run.Report.Diagnostics, d => d.Source == $"{config}:5");
        Assert.Equal("warning", diagnostic.Severity);
        Assert.Null(diagnostic.Object);
        Assert.StartsWith("plugin 'snapshot' is accepted for compatibility", diagnostic.Message, StringComparison.Ordinal);
    }
}
