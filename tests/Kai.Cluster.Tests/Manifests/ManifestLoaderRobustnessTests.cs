using CsCheck;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderRobustnessTests
{
    private const string ValidManifests = """
        apiVersion: v1
        kind: Node
        metadata:
          name: n1
        status:
          allocatable: {cpu: "8", nvidia.com/gpu: "2"}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: p1
          labels: {kai.scheduler/queue: q}
        spec:
          schedulerName: kai-scheduler
          containers:
          - name: main
            resources:
              requests: {cpu: 500m, memory: 1Gi}
        ---
        apiVersion: scheduling.run.ai/v2
        kind: Queue
        metadata:
          name: q
        spec:
          preemptMinRuntime: 5m
          resources:
            gpu: {quota: 1, limit: 2, overQuotaWeight: 1}
        ---
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata:
          name: pg
        spec:
          minMember: 1
          subGroups: [{name: a}, {name: b, parent: a}]
        ---
        apiVersion: v1
        kind: List
        items:
        - apiVersion: kai.scheduler/v1alpha1
          kind: Topology
          metadata: {name: t}
          spec: {levels: [{nodeLabel: rack}]}
        """;

    [Theory]
    [InlineData("[")]
    [InlineData("{")]
    [InlineData("a: [1, 2\nb: 3")]
    [InlineData("\"unterminated")]
    [InlineData("- a\n- b")]
    [InlineData("!!binary AAAA")]
    [InlineData("&a [*a]")]
    [InlineData("a: *missing")]
    [InlineData("apiVersion: [v1]\nkind: {Pod: 1}")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: 5")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: [x]}")]
    [InlineData("apiVersion: v1\nkind: List\nitems: 5")]
    [InlineData("apiVersion: v1\nkind: List\nitems: [[1], ~, {}]")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: 7")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [7]}")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{resources: 1}]}")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{resources: {requests: {cpu: {a: 1}}}}]}")]
    [InlineData("apiVersion: v1\nkind: Node\nmetadata: {name: n}\nstatus: {capacity: {cpu: 1e99999}}")]
    [InlineData("apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata: {name: q}\nspec:")]
    [InlineData("apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata: {name: q}\nspec: {resources: {gpu: ~}}")]
    [InlineData("apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata: {name: q}\nspec: {resources: {gpu: {quota: .inf, limit: -.inf}}}")]
    [InlineData("apiVersion: scheduling.run.ai/v2alpha2\nkind: PodGroup\nmetadata: {name: pg}\nspec: {subGroups: [~, {parent: x}, {name: \"\"}]}")]
    [InlineData("apiVersion: kai.scheduler/v1alpha1\nkind: Topology\nmetadata: {name: t}\nspec: {levels: [~]}")]
    [InlineData("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: x}\nvalue: 99999999999999")]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  creationTimestamp: yesterday\nspec: {containers: [{name: c}]}")]
    [InlineData("--- !!map\napiVersion: v1\nkind: Node\nmetadata: {name: tagged}")]
    [InlineData("\u0000\u0001\u0002")]
    [InlineData("\t\tapiVersion: v1")]
    public void LoadText_WhenInputIsBroken_ReportsInsteadOfThrowing(string text)
    {
        var set = ManifestLoader.LoadText(text, "bad.yaml");

        Assert.All(set.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
        Assert.All(set.Diagnostics, d => Assert.Equal("bad.yaml", d.Location.File));
    }

    [Fact]
    public void LoadText_WhenRandomText_NeverThrows()
    {
        Gen.String["abcdekmnpqsuvxyzAPIVKL:-[]{}#&*!|>'\"., \n\t0123456789~"].Sample(text =>
        {
            var set = ManifestLoader.LoadText(text, "fuzz.yaml");
            Assert.NotNull(set);
        }, iter: 500);
    }

    [Fact]
    public void LoadText_WhenValidManifestsAreDamagedAtRandom_NeverThrowsAndKeepsOrder()
    {
        Gen.Select(Gen.Int[0, ValidManifests.Length - 1], Gen.Int[0, 8], Gen.Char["-:[]{} \n#x0"]).Sample((at, cut, insert) =>
        {
            var end = Math.Min(ValidManifests.Length, at + cut);
            var damaged = ValidManifests[..at] + insert + ValidManifests[end..];

            var set = ManifestLoader.LoadText(damaged, "damaged.yaml");

            Assert.Equal(set.Objects.OrderBy(o => o.Location.Document).ThenBy(o => o.Location.Line).Select(o => o.Location), set.Objects.Select(o => o.Location));
        }, iter: 500);
    }

    [Fact]
    public void LoadText_WhenValidManifests_LoadsAllFiveKindsWithoutDiagnostics()
    {
        var set = ManifestLoader.LoadText(ValidManifests, "ok.yaml");

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["Node", "Pod", "Queue", "PodGroup", "Topology"], set.Objects.Select(o => o.Object.Kind));
    }

    [Fact]
    public void LoadText_WhenNestedTooDeepForTheParser_ReportsInsteadOfOverflowingTheStack()
    {
        var flow = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nspec:\n  x: " + new string('[', 50_000) + new string(']', 50_000) + "\n";
        var compact = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nspec:\n  x:\n  " + string.Concat(Enumerable.Repeat("- ", 50_000)) + "a\n";

        foreach (var text in new[] { flow, compact })
        {
            var set = ManifestLoader.LoadText(text + "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: fine\n", "deep.yaml");

            Assert.Equal("fine", Assert.Single(set.Objects).Object.Metadata.Name);
            var error = Assert.Single(set.Diagnostics);
            Assert.Equal(new SourceLocation("deep.yaml", 1, text == flow ? 6 : 7), error.Location);
            Assert.Equal("the YAML nests more than 1000 levels deep here; no manifest needs that, so this document was skipped", error.Message);
        }
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Node\nmetadata: &m {name: n, self: *m}\n")]
    [InlineData("apiVersion: v1\nkind: Node\nmetadata: &m\n  name: n\n  <<: *m\n")]
    public void LoadText_WhenAnAliasPointsIntoItsOwnNode_ReportsInsteadOfRecursingForever(string text)
    {
        var set = ManifestLoader.LoadText(text, "cycle.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            "an alias (*name) refers to a node that contains it, which makes the document infinitely deep; this document was skipped",
            Assert.Single(set.Diagnostics).Message);
    }

    [Fact]
    public void LoadText_WhenAliasesExpandToBillions_ReportsInsteadOfExpanding()
    {
        var text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n\n  annotations:\n    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (var level = 1; level < 9; level++)
        {
            text += $"    a{level}: &a{level} [{string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 10))}]\n";
        }

        var set = ManifestLoader.LoadText(text, "laughs.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            "aliases (*name) expand this document to more than 1000000 values; this document was skipped",
            Assert.Single(set.Diagnostics).Message);
    }
}
