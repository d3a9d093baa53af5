using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderKindTests
{
    [Fact]
    public void LoadText_WhenEveryHandledKind_ReturnsTypedObjectsInOrder()
    {
        var text = string.Join(
            "\n---\n",
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\nstatus:\n  allocatable:\n    nvidia.com/gpu: 8\n    cpu: 64\n    memory: 512Gi",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: trainer-0\n  namespace: team-a\nspec:\n  schedulerName: kai-scheduler\n  containers:\n  - name: main\n    resources:\n      requests:\n        cpu: 0.5",
            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: train\nvalue: 50",
            CrdYaml.Queue,
            CrdYaml.PodGroup,
            CrdYaml.BindRequest,
            CrdYaml.Topology);

        var set = ManifestLoader.LoadText(text, "all.yaml");

        Assert.Empty(set.Diagnostics);
        Assert.Equal(
            [typeof(V1Node), typeof(V1Pod), typeof(V1PriorityClass), typeof(Queue), typeof(PodGroup), typeof(BindRequest), typeof(Topology)],
            set.Objects.Select(o => o.Object.GetType()));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], set.Objects.Select(o => o.Location.Document));
        var node = set.OfType<V1Node>().Single();
        Assert.Equal("8", node.Status.Allocatable["nvidia.com/gpu"].ToString());
        var pod = set.OfType<V1Pod>().Single();
        Assert.Equal("500m", pod.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal(50, set.OfType<V1PriorityClass>().Single().Value);
    }

    [Fact]
    public void LoadText_WhenKindIsNotUsedByTheScheduler_WarnsWithFileDocumentAndKind()
    {
        const string text = """
            apiVersion: v1
            kind: Node
            metadata:
              name: n
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: batch-job
              namespace: ml
            spec: {}
            """;

        var set = ManifestLoader.LoadText(text, "jobs.yaml");

        Assert.Single(set.Objects);
        Assert.Equal(
            [new ManifestDiagnostic(DiagnosticSeverity.Warning, new SourceLocation("jobs.yaml", 2, 6), "DaemonSet ml/batch-job", "kind DaemonSet (apps/v1) is not handled by the scheduler; ignored")],
            set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenHandledKindHasAnotherApiVersion_WarnsAndNamesTheVersionTheSchedulerReads()
    {
        var set = ManifestLoader.LoadText("apiVersion: scheduling.run.ai/v1\nkind: Queue\nmetadata:\n  name: old\n", "q.yaml");

        Assert.Empty(set.Objects);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("kind Queue (scheduling.run.ai/v1) is not handled by the scheduler; ignored (the scheduler reads Queue as scheduling.run.ai/v2)", warning.Message);
    }

    [Fact]
    public void LoadText_WhenNamespacedObjectHasNoNamespace_SetsDefault()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers: [{name: main}]
            ---
            apiVersion: scheduling.run.ai/v2alpha2
            kind: PodGroup
            metadata:
              name: pg
              namespace: ""
            ---
            apiVersion: scheduling.run.ai/v1alpha2
            kind: BindRequest
            metadata:
              name: br
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Empty(set.Diagnostics);
        Assert.Equal(["default", "default", "default"], set.Objects.Select(o => o.Object.Metadata.NamespaceProperty));
    }

    [Fact]
    public void LoadText_WhenClusterScopedObjectHasANamespace_WarnsAndClearsIt()
    {
        const string text = """
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata:
              name: q
              namespace: team-a
            spec:
              resources: {}
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        var queue = Assert.Single(set.Objects).Object;
        Assert.Null(queue.Metadata.NamespaceProperty);
        Assert.Equal(
            [new ManifestDiagnostic(DiagnosticSeverity.Warning, new SourceLocation("f.yaml", 1, 5), "Queue q", "metadata.namespace \"team-a\" was ignored: Queue is cluster-scoped")],
            set.Diagnostics);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n", "metadata.name is missing; every Pod needs a name, e.g. metadata: {name: my-pod}")]
    [InlineData("apiVersion: v1\nkind: Node\n", "metadata.name is missing; every Node needs a name, e.g. metadata: {name: my-node}")]
    [InlineData("apiVersion: scheduling.run.ai/v2\nkind: Queue\nmetadata:\n  name: \"\"\nspec:\n  resources: {}\n", "metadata.name is missing; every Queue needs a name, e.g. metadata: {name: my-queue}")]
    public void LoadText_WhenNameMissing_ReportsAnErrorAndSkipsTheObject(string text, string message)
    {
        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal([new ManifestDiagnostic(DiagnosticSeverity.Error, new SourceLocation("f.yaml", 1, 1), null, message)], set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenOnlyGenerateNameIsGiven_KeepsTheObjectForTheClusterToName()
    {
        var set = ManifestLoader.LoadText("apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: p-\nspec:\n  containers: [{name: main}]\n", "f.yaml");

        Assert.Empty(set.Diagnostics);
        var pod = Assert.IsType<V1Pod>(Assert.Single(set.Objects).Object);
        Assert.Equal(("p-", null), (pod.Metadata.GenerateName, pod.Metadata.Name));
    }

    [Fact]
    public void LoadText_WhenSameObjectTwice_ReportsTheSecondAndKeepsTheFirst()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              labels: {copy: first}
            spec:
              containers: [{name: main}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              namespace: default
              labels: {copy: second}
            spec:
              containers: [{name: main}]
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        var pod = Assert.Single(set.Objects);
        Assert.Equal("first", pod.Object.Metadata.Labels["copy"]);
        Assert.Equal(
            [
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation("f.yaml", 2, 9),
                    "Pod default/p",
                    "Pod default/p is defined twice; the first definition (f.yaml:1 (document 1)) is kept and this one is ignored. Give each object its own name"),
            ],
            set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenSameNameInOtherNamespaceOrKind_KeepsBoth()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata: {name: x, namespace: a}
            spec: {containers: [{name: main}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: x, namespace: b}
            spec: {containers: [{name: main}]}
            ---
            apiVersion: scheduling.run.ai/v2alpha2
            kind: PodGroup
            metadata: {name: x, namespace: a}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: x}
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Empty(set.Diagnostics);
        Assert.Equal(4, set.Objects.Count);
    }

    [Fact]
    public void LoadText_WhenClusterScopedDuplicateDiffersOnlyInNamespace_ReportsTheDuplicate()
    {
        const string text = """
            apiVersion: v1
            kind: Node
            metadata: {name: n}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n, namespace: elsewhere}
            """;

        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Single(set.Objects);
        Assert.Equal(
            ["metadata.namespace \"elsewhere\" was ignored: Node is cluster-scoped", "Node n is defined twice; the first definition (f.yaml:1 (document 1)) is kept and this one is ignored. Give each object its own name"],
            set.Diagnostics.Select(d => d.Message));
    }

    [Fact]
    public void LoadText_WhenPriorityClassHasNoValue_WarnsThatTheApiServerStoresZero()
    {
        var set = ManifestLoader.LoadText("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: build\nglobalDefault: false\n", "pc.yaml");

        var loaded = Assert.IsType<V1PriorityClass>(Assert.Single(set.Objects).Object);
        Assert.Equal(0, loaded.Value ?? 0);
        Assert.Equal(
            [
                new ManifestDiagnostic(
                    DiagnosticSeverity.Warning,
                    new SourceLocation("pc.yaml", 1, 1),
                    "PriorityClass build",
                    "value is missing, so the API server stores 0; give the class an integer value, e.g. value: 100 (KAI's classes: train 50, build-preemptible 75, build 100, inference 125)"),
            ],
            set.Diagnostics);
    }

    [Theory]
    [InlineData("name: high\nvalue: 1000000001", 5, "value is 1000000001; the API server allows at most 1000000000 for a user-defined PriorityClass (larger values are reserved for system classes)")]
    [InlineData("name: system-mine\nvalue: 5", 4, "PriorityClass names starting with \"system-\" are reserved for Kubernetes (only system-node-critical and system-cluster-critical exist); choose another name")]
    public void LoadText_WhenPriorityClassIsReservedForTheSystem_RejectsItAsTheApiServerDoes(string body, int line, string message)
    {
        var (name, value) = (body.Split('\n')[0], body.Split('\n')[1]);
        var set = ManifestLoader.LoadText($"apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  {name}\n{value}\n", "pc.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, line, message), (error.Severity, error.Location.Line!.Value, error.Message));
    }

    [Fact]
    public void LoadText_WhenFieldHasTheWrongType_ReportsThePathAndSkipsTheObject()
    {
        const string text = """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata:
              name: high
            value: very
            """;

        var set = ManifestLoader.LoadText(text, "pc.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(new SourceLocation("pc.yaml", 1, 5), error.Location);
        Assert.Equal("PriorityClass high", error.ObjectRef);
        Assert.Equal("value cannot be read as part of PriorityClass (found the value \"very\"): expected a number (a whole number where the field counts something, e.g. 2)", error.Message);
    }

    [Fact]
    public void LoadText_WhenNestedFieldHasTheWrongShape_ReportsThePath()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - name: main
                ports: 80
            """;

        var set = ManifestLoader.LoadText(text, "p.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal(new SourceLocation("p.yaml", 1, 8), error.Location);
        Assert.StartsWith("spec.containers[0].ports cannot be read as part of Pod (found the value \"80\"): ", error.Message, StringComparison.Ordinal);
    }
}
