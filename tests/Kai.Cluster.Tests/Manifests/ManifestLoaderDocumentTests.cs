using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderDocumentTests
{
    [Fact]
    public void LoadText_WhenBrokenDocumentBetweenTwoValidOnes_LoadsBothValidOnes()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: first
            spec: {containers: [{name: main}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: [broken
              labels: {}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: third
            spec: {containers: [{name: main}]}
            """;

        var set = ManifestLoader.LoadText(text, "pods.yaml");

        Assert.Equal(["first", "third"], set.Objects.Select(o => o.Object.Metadata.Name));
        Assert.Equal(new SourceLocation("pods.yaml", 1, 1), set.Objects[0].Location);
        Assert.Equal(new SourceLocation("pods.yaml", 3, 13), set.Objects[1].Location);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("pods.yaml", error.Location.File);
        Assert.Equal(2, error.Location.Document);
        Assert.Null(error.ObjectRef);
        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("This document was skipped; the others still load.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenSyntaxErrorHasAPosition_ReportsTheFileLine()
    {
        const string text = """
            apiVersion: v1
            kind: Node
            metadata:
              name: ok
            ---
            # comment line 6
            apiVersion: v1
            kind: Pod
            metadata:
              name: a: b
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(new SourceLocation("f.yaml", 2, 10), error.Location);
        Assert.Equal(
            "YAML syntax error at line 10, column 10: While scanning a plain scalar value, found invalid mapping. This document was skipped; the others still load.",
            error.Message);
    }

    [Fact]
    public void LoadText_WhenDuplicateKey_ReportsASyntaxError()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            kind: Node
            metadata:
              name: twice
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(new SourceLocation("f.yaml", 1, 3), error.Location);
        Assert.Equal("YAML syntax error at line 3, column 1: Duplicate key kind. This document was skipped; the others still load.", error.Message);
    }

    [Fact]
    public void LoadText_WhenSeparatorsCarryCommentsAndDocumentsAreEmpty_SkipsEmptyOnesAndCountsTheRest()
    {
        const string text = """
            # leading comment only
            ---
            --- # an empty document
            apiVersion: v1
            kind: Node
            metadata:
              name: node-a
            ...
            ---   # another separator with a comment

            # comments only

            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: node-b
            ---
            """;

        var set = ManifestLoader.LoadText(text, "nodes.yaml");

        Assert.Empty(set.Diagnostics);
        Assert.Equal(
            [new SourceLocation("nodes.yaml", 1, 4), new SourceLocation("nodes.yaml", 2, 14)],
            set.Objects.Select(o => o.Location));
    }

    [Fact]
    public void LoadText_WhenContentFollowsTheSeparator_ReadsItAsTheDocument()
    {
        const string text = """
            --- {apiVersion: v1, kind: Node, metadata: {name: inline}}
            --- {apiVersion: v1, kind: Node,
                 metadata: {name: two-lines}}
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["inline", "two-lines"], set.Objects.Select(o => o.Object.Metadata.Name));
        Assert.Equal([1, 2], set.Objects.Select(o => o.Location.Line));
    }

    [Fact]
    public void LoadText_WhenWindowsLineEndings_LoadsNormally()
    {
        var set = ManifestLoader.LoadText("apiVersion: v1\r\nkind: Node\r\nmetadata:\r\n  name: n\r\n---\r\napiVersion: v1\r\nkind: Node\r\nmetadata:\r\n  name: m\r\n", "f.yaml");

        Assert.Empty(set.Diagnostics);
        Assert.Equal([1, 6], set.Objects.Select(o => o.Location.Line));
    }

    [Fact]
    public void LoadText_WhenEmptyOrOnlyComments_LoadsNothingAndSaysTheFileIsEmpty()
    {
        var empty = ManifestLoader.LoadText(" \n", "f.yaml");
        var comments = ManifestLoader.LoadText("# nothing\n---\n\n---\n...\n", "g.yaml");

        Assert.Empty(empty.Objects);
        Assert.Equal(
            [new ManifestDiagnostic(DiagnosticSeverity.Warning, new SourceLocation("f.yaml", 0, null), null, "the file is empty; nothing was loaded from it")],
            empty.Diagnostics);
        Assert.Equal(
            [new ManifestDiagnostic(DiagnosticSeverity.Warning, new SourceLocation("g.yaml", 0, null), null, "the file has only comments and document markers, no YAML document; nothing was loaded from it")],
            comments.Diagnostics);
        Assert.Empty(ManifestLoader.LoadText("~\n", "f.yaml").Diagnostics);
    }

    [Fact]
    public void LoadText_WhenDocumentIsNotAMapping_ReportsAnError()
    {
        var set = ManifestLoader.LoadText("- apiVersion: v1\n  kind: Node\n", "f.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(new SourceLocation("f.yaml", 1, 1), error.Location);
        Assert.Equal("a manifest must be a mapping with apiVersion, kind and metadata; found a list", error.Message);
    }

    [Fact]
    public void LoadText_WhenNoApiVersionAndNoKind_WarnsThatItIsNotAKubernetesObject()
    {
        var set = ManifestLoader.LoadText("Cycles: 1024\nNodes:\n- GPUs: 16\n", "simulation-config.yaml");

        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(
            new ManifestDiagnostic(
                DiagnosticSeverity.Warning,
                new SourceLocation("simulation-config.yaml", 1, 1),
                null,
                "this document has no apiVersion and no kind, so it is not a Kubernetes object; ignored"),
            warning);
    }

    [Theory]
    [InlineData("apiVersion: v1\nmetadata:\n  name: x\n", "kind is missing; every manifest needs both apiVersion and kind, e.g. apiVersion: v1 and kind: Pod")]
    [InlineData("kind: Pod\nmetadata:\n  name: x\n", "apiVersion is missing; every manifest needs both apiVersion and kind, e.g. apiVersion: v1 and kind: Pod")]
    public void LoadText_WhenOnlyOneOfApiVersionAndKind_ReportsAnError(string text, string message)
    {
        var set = ManifestLoader.LoadText(text, "f.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void LoadText_WhenKindList_LoadsItsItemsAtTheirLines()
    {
        const string text = """
            # kubectl get -o yaml output
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata:
                name: p1
                namespace: team-a
              spec:
                containers: [{name: main}]
            - apiVersion: apps/v1
              kind: DaemonSet
              metadata:
                name: j1
            - apiVersion: scheduling.run.ai/v2
              kind: Queue
              metadata:
                name: q1
              spec:
                resources: {}
            - just a string
            """;

        var set = ManifestLoader.LoadText(text, "list.yaml");

        Assert.Equal(
            [new SourceLocation("list.yaml", 1, 5), new SourceLocation("list.yaml", 1, 16)],
            set.Objects.Select(o => o.Location));
        Assert.IsType<V1Pod>(set.Objects[0].Object);
        Assert.IsType<Queue>(set.Objects[1].Object);
        Assert.Equal(
            [
                new ManifestDiagnostic(DiagnosticSeverity.Warning, new SourceLocation("list.yaml", 1, 12), "DaemonSet default/j1", "kind DaemonSet (apps/v1) is not handled by the scheduler; ignored"),
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation("list.yaml", 1, 22),
                    null,
                    "items[3] of the List must be an object with apiVersion, kind and metadata; found the value \"just a string\""),
            ],
            set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenListItemHasAnUnknownField_WarnsAtTheFieldsLine()
    {
        const string text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Node
              metadata:
                name: n1
                colour: blue
              status:
                capacity:
                  cpu: "8"
            """;

        var set = ManifestLoader.LoadText(text, "list.yaml");

        var node = Assert.IsType<V1Node>(Assert.Single(set.Objects).Object);
        Assert.Equal("8", node.Status.Capacity["cpu"].ToString());
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(new SourceLocation("list.yaml", 1, 8), warning.Location);
        Assert.Equal("unknown field metadata.colour is not part of Node and was ignored", warning.Message);
    }

    [Fact]
    public void LoadText_WhenJson_LoadsLikeYaml()
    {
        const string json = """
            {
              "apiVersion": "scheduling.run.ai/v2alpha2",
              "kind": "PodGroup",
              "metadata": {"name": "pg", "namespace": "team-a"},
              "spec": {"minMember": 2, "queue": "team-a", "subGroups": [{"name": "a"}, {"name": "b", "parent": "a"}]}
            }
            """;

        var set = ManifestLoader.LoadText(json, "pg.json");

        Assert.Empty(set.Diagnostics);
        var podGroup = Assert.IsType<PodGroup>(Assert.Single(set.Objects).Object);
        Assert.Equal(2, podGroup.Spec.MinMember);
        Assert.Equal("a", podGroup.Spec.SubGroups![1].Parent);
    }

    [Fact]
    public void LoadText_WhenLoadedTwice_GivesTheSameObjectsAndDiagnosticsInTheSameOrder()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, extra: 1}
            spec: {containers: [{name: main}]}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: j}
            ---
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata: {name: q}
            spec: {}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a}
            spec: {containers: [{name: main}]}
            """;

        var first = ManifestLoader.LoadText(text, "f.yaml");
        var second = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Equal(first.Diagnostics, second.Diagnostics);
        Assert.Equal(first.Objects.Select(o => o.Location), second.Objects.Select(o => o.Location));
        Assert.Equal(
            first.Objects.Select(o => k8s.KubernetesJson.Serialize(o.Object)),
            second.Objects.Select(o => k8s.KubernetesJson.Serialize(o.Object)));
        Assert.Equal(
            [
                "unknown field metadata.extra is not part of Pod and was ignored",
                "kind DaemonSet (apps/v1) is not handled by the scheduler; ignored",
                "spec.resources is missing; KAI rejects such queues (\"resources must be specified\"). Add spec.resources with cpu, gpu and memory, e.g. gpu: {quota: 2, limit: -1, overQuotaWeight: 1}",
                "Pod default/a is defined twice; the first definition (f.yaml:1 (document 1)) is kept and this one is ignored. Give each object its own name",
            ],
            first.Diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void ManifestDiagnostic_ToString_ReadsLikeACompilerMessage()
    {
        var diagnostic = new ManifestDiagnostic(DiagnosticSeverity.Error, new SourceLocation("a.yaml", 2, 14), "Pod team-a/p", "bad");

        Assert.Equal("a.yaml:14 (document 2): error: Pod team-a/p: bad", diagnostic.ToString());
        Assert.Equal("dir: warning: empty", new ManifestDiagnostic(DiagnosticSeverity.Warning, new SourceLocation("dir", 0, null), null, "empty").ToString());
    }

    [Fact]
    public void LoadText_WhenAnchorsAliasesAndMergeKeys_ExpandsThemLikeKubectl()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: anchors
              labels: &labels
                app: trainer
              annotations: *labels
            spec:
              containers:
              - &main
                name: main
                image: ubuntu
                resources:
                  requests: {cpu: "1"}
              - <<: *main
                name: sidecar
                bogus: true
            """;

        var set = ManifestLoader.LoadText(text, "anchors.yaml");

        var pod = Assert.IsType<V1Pod>(Assert.Single(set.Objects).Object);
        Assert.Equal("trainer", pod.Metadata.Annotations["app"]);
        Assert.Equal(["main", "sidecar"], pod.Spec.Containers.Select(c => c.Name));
        Assert.Equal("ubuntu", pod.Spec.Containers[1].Image);
        Assert.Equal("1", pod.Spec.Containers[1].Resources.Requests["cpu"].ToString());
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal((17, "unknown field spec.containers[1].bogus is not part of Pod and was ignored"), (warning.Location.Line!.Value, warning.Message));
    }
}
