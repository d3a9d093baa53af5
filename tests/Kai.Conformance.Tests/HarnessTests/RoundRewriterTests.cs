using System.Text.Json;
using Kai.Conformance.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace Kai.Conformance.Tests.HarnessTests;

public sealed class RoundRewriterTests : IDisposable
{
    private const string Manifests = """
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata:
          name: job-a
        ---
        apiVersion: scheduling.run.ai/v2alpha2
        kind: PodGroup
        metadata:
          name: job-b
          annotations:
            kai.scheduler/last-start-timestamp: '2025-12-31T23:00:00Z'
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: job-a-0
          annotations:
            pod-group-name: job-a
            gpu-fraction: '0.5'
        spec:
          schedulerName: kai-scheduler
        status:
          phase: Pending
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: job-b-0
          annotations:
            pod-group-name: job-b
          labels:
            runai-gpu-group: old
        spec:
          schedulerName: kai-scheduler
          nodeName: node0
        status:
          phase: Running
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: job-c-0
          annotations:
            pod-group-name: job-c
        spec:
          schedulerName: kai-scheduler
          nodeName: node1
        status:
          phase: Running
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: other
        spec:
          nodeName: node1
        """;

    private readonly string _file = Path.GetTempFileName();

    public RoundRewriterTests() => File.WriteAllText(_file, Manifests);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Rewrite_WhenPodIsBinding_MakesItRunningOnItsNodeWithItsGroups()
    {
        var documents = YamlTree.LoadDocuments(_file);

        Rewrite(documents, ("default/job-a-0", new PodObservation("Binding", "node0", ["g1"])), ("default/job-b-0", new PodObservation("Running", "node0", ["old"])), ("default/job-c-0", new PodObservation("Running", "node1", [])));

        var view = PodViews.FromManifests(documents, "default");
        Assert.Equal(new PodObservation("Running", "node0", ["g1"]), view["default/job-a-0"], PodObservationComparer.Instance);
        Assert.Equal("Fraction", Annotation(documents, "job-a-0", "received-resource-type"));
        Assert.Equal("2025-12-31T23:59:00Z", Annotation(documents, "job-a", "kai.scheduler/last-start-timestamp"));
    }

    [Fact]
    public void Rewrite_WhenPodIsReleasing_MakesItPendingAndUnbound()
    {
        var documents = YamlTree.LoadDocuments(_file);

        Rewrite(documents, ("default/job-a-0", new PodObservation("Pending", null, [])), ("default/job-b-0", new PodObservation("Releasing", "node0", ["old"])), ("default/job-c-0", new PodObservation("Running", "node1", [])));

        var view = PodViews.FromManifests(documents, "default");
        Assert.Equal("Pending", view["default/job-b-0"].Status);
        Assert.Null(view["default/job-b-0"].Node);
        Assert.Equal(["old"], view["default/job-b-0"].GpuGroups);
        Assert.Null(Annotation(documents, "job-b", "kai.scheduler/last-start-timestamp"));
    }

    [Fact]
    public void Rewrite_WhenTheReleasingPodsJobIsBeingDeleted_KeepsItReleasingOnItsNode()
    {
        var documents = YamlTree.LoadDocuments(_file);

        Rewrite(documents, deletedJobs: ["job-c"], ("default/job-a-0", new PodObservation("Pending", null, [])), ("default/job-b-0", new PodObservation("Running", "node0", [])), ("default/job-c-0", new PodObservation("Releasing", "node1", [])));

        var view = PodViews.FromManifests(documents, "default");
        Assert.Equal(new PodObservation("Releasing", "node1", []), view["default/job-c-0"], PodObservationComparer.Instance);
        var metadata = documents.Single(d => d.Mapping("metadata")?.Text("name") == "job-c-0").Mapping("metadata")!;
        Assert.Equal("2026-01-01T00:00:30Z", metadata.Text("deletionTimestamp"));
    }

    [Fact]
    public void Rewrite_WhenPodIsPipelined_MakesItPendingAndUnbound()
    {
        var documents = YamlTree.LoadDocuments(_file);

        Rewrite(documents, ("default/job-a-0", new PodObservation("Pipelined", "node1", [])), ("default/job-b-0", new PodObservation("Running", "node0", [])), ("default/job-c-0", new PodObservation("Running", "node1", [])));

        Assert.Equal(new PodObservation("Pending", null, []), PodViews.FromManifests(documents, "default")["default/job-a-0"], PodObservationComparer.Instance);
    }

    [Fact]
    public void Rewrite_WhenAKaiPodIsMissingFromTheOutput_FailsTheCase()
    {
        var documents = YamlTree.LoadDocuments(_file);

        var failure = Assert.Throws<CaseFailure>(() => Rewrite(documents, ("default/job-a-0", new PodObservation("Pending", null, []))));

        Assert.Equal("job-b-0 missing from output", failure.Message);
    }

    [Fact]
    public void SaveDocuments_AfterARewrite_ReadsBackTheSame()
    {
        var documents = YamlTree.LoadDocuments(_file);
        Rewrite(documents, ("default/job-a-0", new PodObservation("Binding", "node0", ["1", "2"])), ("default/job-b-0", new PodObservation("Running", "node0", [])), ("default/job-c-0", new PodObservation("Running", "node1", [])));

        YamlTree.SaveDocuments(_file, documents, "# rewritten\n");

        var again = PodViews.FromManifests(YamlTree.LoadDocuments(_file), "default");
        Assert.Equal(new PodObservation("Running", "node0", ["1", "2"]), again["default/job-a-0"], PodObservationComparer.Instance);
    }

    private static void Rewrite(List<YamlMappingNode> documents, params (string Key, PodObservation Pod)[] pods) => Rewrite(documents, [], pods);

    private static void Rewrite(List<YamlMappingNode> documents, string[] deletedJobs, params (string Key, PodObservation Pod)[] pods)
    {
        using var output = JsonDocument.Parse("{\"pods\": []}");
        var expectation = CaseComparisonTests.Expect() with { DeletedJobs = deletedJobs.ToHashSet() };
        RoundRewriter.Rewrite(documents, pods.ToDictionary(p => p.Key, p => p.Pod), expectation, output.RootElement);
    }

    private static string? Annotation(List<YamlMappingNode> documents, string name, string key) =>
        documents.Single(d => d.Mapping("metadata")?.Text("name") == name).Mapping("metadata")!.Mapping("annotations")?.Text(key);

    private sealed class PodObservationComparer : IEqualityComparer<PodObservation>
    {
        public static readonly PodObservationComparer Instance = new();

        public bool Equals(PodObservation? x, PodObservation? y) =>
            x is not null && y is not null && x.Status == y.Status && x.Node == y.Node && x.GpuGroups.SequenceEqual(y.GpuGroups);

        public int GetHashCode(PodObservation obj) => HashCode.Combine(obj.Status, obj.Node);
    }
}
