using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderQueueTests
{
    [Fact]
    public void LoadText_WhenQueueHasNoResources_ReportsKaisWebhookError()
    {
        var set = ManifestLoader.LoadText("apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: q\nspec:\n  priority: 10\n", "q.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation("q.yaml", 1, 5),
                    "Queue q",
                    "spec.resources is missing; KAI rejects such queues (\"resources must be specified\"). Add spec.resources with cpu, gpu and memory, e.g. gpu: {quota: 2, limit: -1, overQuotaWeight: 1}"),
            ],
            set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenQueueHasNoSpecAtAll_ReportsMissingResourcesAtTheObject()
    {
        var set = ManifestLoader.LoadText("apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: q\n", "q.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(1, error.Location.Line);
        Assert.StartsWith("spec.resources is missing;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenQuotaLimitOrWeightNegative_WarnsAsKaisWebhookAndKeepsTheQueue()
    {
        const string text = """
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata:
              name: q
            spec:
              resources:
                cpu:
                  quota: -5
                  limit: -1
                  overQuotaWeight: -1
                gpu:
                  quota: 1
                  limit: -0.5
            """;

        var set = ManifestLoader.LoadText(text, "q.yaml");

        Assert.IsType<Queue>(Assert.Single(set.Objects).Object);
        Assert.All(set.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Equal(
            [
                (8, "spec.resources.cpu.quota is -5; KAI accepts it with a warning (\"must be -1 (unlimited) or non-negative\") and here it is read as a quota of 0. Use -1 for unlimited or a value of 0 or more"),
                (10, "spec.resources.cpu.overQuotaWeight is -1; KAI accepts it with a warning (\"must be non-negative\")."),
                (13, "spec.resources.gpu.limit is -0.5; KAI accepts it with a warning (\"must be -1 (unlimited) or non-negative\") and here it allows nothing, as a limit of 0 does. Use -1 for unlimited or a value of 0 or more"),
            ],
            set.Diagnostics.Select(d => (d.Location.Line!.Value, d.Message.Split(" It is used as KAI")[0])));
    }

    [Theory]
    [InlineData("quota: .nan", "spec.resources.memory.quota is NaN; a manifest cannot carry it (JSON has no such number). Use -1 for unlimited or a value of 0 or more")]
    [InlineData("overQuotaWeight: .inf", "spec.resources.memory.overQuotaWeight is Infinity; a manifest cannot carry it (JSON has no such number). Use a weight of 0 or more, e.g. 1")]
    public void LoadText_WhenAQueueNumberIsNotFinite_RejectsTheQueue(string field, string message)
    {
        var text = $"apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: q\nspec:\n  resources:\n    memory:\n      {field}\n";

        var set = ManifestLoader.LoadText(text, "q.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, 8, message), (error.Severity, error.Location.Line!.Value, error.Message));
    }

    [Fact]
    public void LoadText_WhenAQuotaIsBeyondTheMaximum_WarnsThatItIsReadAsTheMaximum()
    {
        var text = "apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: q\nspec:\n  resources:\n    gpu:\n      quota: 1e300\n";

        var set = ManifestLoader.LoadText(text, "q.yaml");

        Assert.Single(set.Objects);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.StartsWith("spec.resources.gpu.quota is 1E+300, beyond the largest amount the scheduler accounts (9007199254740.992)", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenMinRuntimesInvalidOrNegative_KeepsTheQueue()
    {
        const string text = """
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata:
              name: q
            spec:
              preemptMinRuntime: 5 minutes
              reclaimMinRuntime: -30s
              resources: {}
            """;

        var set = ManifestLoader.LoadText(text, "q.yaml");

        Assert.Single(set.Objects);
        Assert.Empty(set.Diagnostics);
    }

    [Theory]
    [InlineData("2", "4", "spec.resources.gpu.limit (2) is below its quota (4)")]
    [InlineData("2", "-1", "spec.resources.gpu.limit (2) is below its quota (-1 (unlimited))")]
    public void LoadText_WhenLimitBelowQuota_WarnsLikeKaisWebhookAndKeepsTheQueue(string limit, string quota, string start)
    {
        var text = $"apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: q\nspec:\n  resources:\n    gpu:\n      quota: {quota}\n      limit: {limit}\n";

        var set = ManifestLoader.LoadText(text, "q.yaml");

        Assert.IsType<Queue>(Assert.Single(set.Objects).Object);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Warning, 9), (warning.Severity, warning.Location.Line!.Value));
        Assert.Equal(
            start + "; KAI accepts this with a warning, but the queue can never use its whole quota. Set the limit to at least the quota, or to -1 for no limit",
            warning.Message);
    }

    [Theory]
    [InlineData("0", "4")]
    [InlineData("-1", "4")]
    [InlineData("4", "4")]
    [InlineData("5", "4")]
    [InlineData("-1", "-1")]
    public void LoadText_WhenLimitIsUnsetUnlimitedOrAtLeastTheQuota_SaysNothing(string limit, string quota)
    {
        var text = $"apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: q\nspec:\n  resources:\n    gpu:\n      quota: {quota}\n      limit: {limit}\n";

        var set = ManifestLoader.LoadText(text, "q.yaml");

        Assert.Single(set.Objects);
        Assert.Empty(set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenMinRuntimesAreGoDurations_KeepsThem()
    {
        var set = ManifestLoader.LoadText(
            "apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: q\nspec:\n  preemptMinRuntime: 1h30m\n  reclaimMinRuntime: \"0\"\n  resources: {}\n",
            "q.yaml");

        Assert.Empty(set.Diagnostics);
        var queue = Assert.IsType<Queue>(Assert.Single(set.Objects).Object);
        Assert.Equal(TimeSpan.FromMinutes(90), GoDuration.Parse(queue.Spec.PreemptMinRuntime!).ToTimeSpan());
    }
}
