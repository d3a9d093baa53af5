using k8s.Models;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderResourceTests
{
    private const string ValidForms =
        "use a number with an optional suffix, e.g. 500m, 2, 0.5, 1.5Gi, 100M, 1e3 (suffixes: n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent e<N>)";

    [Fact]
    public void LoadText_WhenContainerQuantitiesInvalid_NamesContainerAndResourceAndSkipsThePod()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              namespace: team-a
            spec:
              initContainers:
              - name: setup
                resources:
                  limits:
                    cpu: 1GB
              containers:
              - name: main
                resources:
                  requests:
                    cpu: lots
                    nvidia.com/gpu: [1]
                  limits:
                    memory: -1Gi
            """;

        var set = ManifestLoader.LoadText(text, "p.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                (16, "container \"main\" resources.requests.cpu: \"lots\" is not a valid quantity: it must start with a number; " + ValidForms),
                (17, "container \"main\" resources.requests[\"nvidia.com/gpu\"] must be a quantity such as 500m, 2 or 1Gi; found a list"),
                (19, "container \"main\" resources.limits.memory: \"-1Gi\" is negative; amounts must be zero or more, e.g. 0, 500m, 2, 1.5Gi"),
                (11, "init container \"setup\" resources.limits.cpu: \"1GB\" is not a valid quantity: unknown suffix \"GB\"; " + ValidForms),
            ],
            set.Diagnostics.Select(d => (d.Location.Line!.Value, d.Message)));
        Assert.All(set.Diagnostics, d => Assert.Equal(("Pod team-a/p", DiagnosticSeverity.Error), (d.ObjectRef, d.Severity)));
    }

    [Fact]
    public void LoadText_WhenRequestIsEmptyOrOverheadNegative_ReportsEach()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - resources:
                  requests:
                    memory:
              overhead:
                cpu: "-250m"
            """;

        var set = ManifestLoader.LoadText(text, "p.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                (9, "container #0 resources.requests.memory: an empty value is not a valid quantity; " + ValidForms),
                (11, "spec.overhead.cpu: \"-250m\" is negative; amounts must be zero or more, e.g. 0, 500m, 2, 1.5Gi"),
            ],
            set.Diagnostics.Select(d => (d.Location.Line!.Value, d.Message)));
    }

    [Fact]
    public void LoadText_WhenQuantitiesUseEveryValidForm_LoadsThePod()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers:
              - name: main
                resources:
                  requests: {cpu: .5, memory: 1.5Gi, ephemeral-storage: 1e3}
                  limits: {cpu: "1.", memory: 2Gi, nvidia.com/gpu: "1", example.com/a: 1E3, example.com/d: +1, example.com/e: 1P}
              overhead:
                cpu: 100m
            """;

        var set = ManifestLoader.LoadText(text, "p.yaml");

        Assert.Empty(set.Diagnostics);
        var pod = Assert.IsType<V1Pod>(Assert.Single(set.Objects).Object);
        Assert.Equal("1536Mi", pod.Spec.Containers[0].Resources.Requests["memory"].ToString());
        Assert.Equal("1P", pod.Spec.Containers[0].Resources.Limits["example.com/e"].ToString());
    }

    [Fact]
    public void LoadText_WhenNodeCapacityInvalid_ReportsTheResourceAndSkipsTheNode()
    {
        const string text = """
            apiVersion: v1
            kind: Node
            metadata:
              name: node-1
            status:
              capacity:
                nvidia.com/gpu: eight
                cpu: "64"
              allocatable:
                memory: -1
            """;

        var set = ManifestLoader.LoadText(text, "n.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation("n.yaml", 1, 7),
                    "Node node-1",
                    "status.capacity[\"nvidia.com/gpu\"]: \"eight\" is not a valid quantity: it must start with a number; " + ValidForms),
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation("n.yaml", 1, 10),
                    "Node node-1",
                    "status.allocatable.memory: \"-1\" is negative; amounts must be zero or more, e.g. 0, 500m, 2, 1.5Gi"),
            ],
            set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenResourceListIsNotAMapping_SaysWhatShapeItNeeds()
    {
        var set = ManifestLoader.LoadText("apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nstatus:\n  capacity: [cpu]\n", "n.yaml");

        Assert.Equal(
            "status.capacity must map resource names to quantities, e.g. {cpu: 500m, memory: 1Gi}; found a list",
            Assert.Single(set.Diagnostics).Message);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", 1)]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n", 6)]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers: [{name: i}]\n", 5)]
    public void LoadText_WhenPodHasNoContainers_ReportsAnError(string text, int line)
    {
        var set = ManifestLoader.LoadText(text, "p.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                new ManifestDiagnostic(
                    DiagnosticSeverity.Error,
                    new SourceLocation("p.yaml", 1, line),
                    "Pod default/p",
                    "spec.containers is missing or empty; a Pod needs at least one container, e.g. containers: [{name: main, image: ubuntu}]"),
            ],
            set.Diagnostics);
    }
}
