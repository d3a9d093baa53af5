using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

/// <summary>Careless input gets an answer that points at the mistake: the right line and column, a "did you mean".</summary>
public sealed class ManifestLoaderCarelessInputTests
{
    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: a\nspec: {}\n", 3, 11, "this '{' is never closed; end the mapping with '}' before the document ends")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: [x, y\n", 5, 11, "this '[' is never closed; end the list with ']' before the document ends")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: [x, y}\n", 3, 34, "'}' does not close the '[' opened at line 3, column 29; close it with ']'")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: a\n", 4, 1, "a tab is used for indentation; YAML indents with spaces only")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"a\n", 4, 9, "this double quote is never closed; end the string with \"")]
    public void LoadText_WhenYamlIsBroken_ReportsTheLineAndColumnOfTheCause(string text, int line, int column, string cause)
    {
        var set = ManifestLoader.LoadText("# first line\n---\n" + text, "f.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(line + 2, error.Location.Line);
        Assert.Equal($"YAML syntax error at line {line + 2}, column {column}: {cause}. This document was skipped; the others still load.", error.Message);
    }

    [Fact]
    public void LoadText_WhenYamlIsBroken_NoInternalExceptionTextReachesTheMessage()
    {
        var set = ManifestLoader.LoadText("a: {b: [1, 2\n", "f.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.DoesNotContain("Operation is not valid", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1", "Nod", "kind Nod (v1) is not handled by the scheduler; ignored (did you mean Node? kinds are case-sensitive; Node is v1)")]
    [InlineData("scheduling.run.ai/v2", "queue", "kind queue (scheduling.run.ai/v2) is not handled by the scheduler; ignored (did you mean Queue? kinds are case-sensitive; Queue is scheduling.run.ai/v2)")]
    [InlineData("scheduling.run.ai/v2alpha2", "Podgroup", "kind Podgroup (scheduling.run.ai/v2alpha2) is not handled by the scheduler; ignored (did you mean PodGroup? kinds are case-sensitive; PodGroup is scheduling.run.ai/v2alpha2)")]
    [InlineData("apps/v1", "DaemonSet", "kind DaemonSet (apps/v1) is not handled by the scheduler; ignored")]
    public void LoadText_WhenKindIsUnknown_SuggestsTheClosestKindTheSchedulerReads(string apiVersion, string kind, string message)
    {
        var set = ManifestLoader.LoadText($"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: x}}\n", "f.yaml");

        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Warning, message), (warning.Severity, warning.Message));
    }

    [Fact]
    public void LoadText_WhenEveryNodeIsRejected_StillDeclaresNodes()
    {
        var set = ManifestLoader.LoadText("apiVersion: v1\nkind: Node\nmetadata: {name: n}\nstatus:\n  allocatable: {cpu: \"-1\"}\n", "f.yaml");

        Assert.Empty(set.Objects);
        Assert.True(set.DeclaresNodes);
        Assert.Equal(["Node"], set.RejectedKinds);
        Assert.False(ManifestLoader.LoadText("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: m}]}\n", "g.yaml").DeclaresNodes);
    }

    [Fact]
    public void LoadText_WhenAPodCarriesKaiLabelsButAnotherScheduler_NotesIt()
    {
        const string text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {kai.scheduler/queue: team-a}\n  annotations: {pod-group-name: g}\nspec:\n  containers: [{name: m}]\n";

        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Single(set.Objects);
        var note = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Info, 7), (note.Severity, note.Location.Line));
        Assert.Equal(
            "the pod has the label kai.scheduler/queue and the annotation pod-group-name but spec.schedulerName is not set (so it is default-scheduler), " +
            "so KAI does not schedule it (it only takes pods with schedulerName: kai-scheduler); it still uses capacity once placed. Add schedulerName: kai-scheduler if KAI should schedule it",
            note.Message);
    }

    [Fact]
    public void NameSuggestions_WhenNothingIsClose_SuggestsNothing()
    {
        Assert.Null(NameSuggestions.Closest("Job", ["Node", "Pod", "Queue"]));
        Assert.Equal("default-queue", NameSuggestions.Closest("deafult-queue", ["default-queue", "team-a"]));
    }
}
