using System.Text.Json;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Tests.Embedded;

public sealed class GenericKindTests
{
    private static readonly KindKey PyTorchJob = new("kubeflow.org/v1", "PyTorchJob");

    [Fact]
    public void Create_WhenKindIsGeneric_StoresFieldsAndResetsStatus()
    {
        var (cluster, kind) = Create();

        var stored = (GenericObject)cluster.Create(Job("j0", spec: """{"replicas":2}""", status: """{"phase":"Done"}"""));

        Assert.Same(kind, cluster.Kinds.KindOf(stored));
        Assert.Equal(2, stored.Field("spec")!.Value.GetProperty("replicas").GetInt32());
        Assert.Null(stored.Field("status"));
        Assert.Equal([stored], cluster.List(kind).Items);
    }

    [Fact]
    public void Replace_WhenGenericSpecChanges_BumpsGenerationAndKeepsStatus()
    {
        var (cluster, kind) = Create();
        var created = (GenericObject)cluster.Create(Job("j0", spec: """{"replicas":2}"""));
        var withStatus = (GenericObject)cluster.ReplaceStatus(created.WithField("status", Json("""{"phase":"Running"}""")));

        var sameSpec = (GenericObject)cluster.Replace(withStatus.WithField("status", null));
        var newSpec = (GenericObject)cluster.Replace(sameSpec.WithField("spec", Json("""{"replicas":3}""")));

        Assert.Equal(1, sameSpec.Metadata.Generation);
        Assert.Equal(2, newSpec.Metadata.Generation);
        Assert.Equal("Running", newSpec.Field("status")!.Value.GetProperty("phase").GetString());
        Assert.Same(newSpec, cluster.Get(kind, "team-a", "j0"));
    }

    [Fact]
    public void RegisterGeneric_WhenKeyIsTaken_Throws()
    {
        var kinds = KindRegistry.CreateWithBuiltIns();

        Assert.Throws<ArgumentException>(() => kinds.RegisterGeneric(new KindKey("v1", "Pod"), "pods", KindScope.Namespaced, true));
        Assert.Throws<ArgumentException>(() => kinds.Get<GenericObject>());
    }

    [Fact]
    public async Task Changes_WhenObjectIsModifiedOrDeleted_CarryThePreviousVersionIfRecorded()
    {
        var cluster = TestCluster.Create();
        var unrecorded = await cluster.CreateAsync(TestCluster.Pod("early"));
        await cluster.ReplaceAsync(KubeObjects.WithEditedMetadata(unrecorded, m => m.Labels = new Dictionary<string, string> { ["a"] = "b" }));
        cluster.RecordPreviousVersions = true;
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "2" });

        var created = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var replaced = await cluster.ReplaceAsync(KubeObjects.WithEditedMetadata(created, m => m.Labels = new Dictionary<string, string> { ["a"] = "b" }));
        await cluster.DeleteAsync<V1Pod>("team-a", "p0");
        var changes = TestCluster.Drain(feed);
        using var replay = await cluster.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "1" });
        var beforeRecording = TestCluster.Drain(replay)[0];

        Assert.Equal([null, created, replaced], changes.Select(c => c.Previous));
        Assert.Equal((ChangeType.Modified, "early", null), (beforeRecording.Type, beforeRecording.Object.Metadata.Name, beforeRecording.Previous));
    }

    [Fact]
    public async Task Delete_WhenPreconditionsDoNotMatch_FailsWithConflict()
    {
        var cluster = TestCluster.Create();
        var pod = await cluster.CreateAsync(TestCluster.Pod("p0"));
        var kind = cluster.Kinds.Get<V1Pod>();

        var staleVersion = Assert.Throws<ClusterException>(() => cluster.Delete(kind, "team-a", "p0", preconditions: new DeletePreconditions(null, "999")));
        var otherUid = Assert.Throws<ClusterException>(() => cluster.Delete(kind, "team-a", "p0", preconditions: new DeletePreconditions("other", null)));
        var deleted = cluster.Delete(kind, "team-a", "p0", preconditions: new DeletePreconditions(pod.Metadata.Uid, pod.Metadata.ResourceVersion));

        Assert.Equal((ClusterErrorReason.Conflict, ClusterErrorReason.Conflict), (staleVersion.Reason, otherUid.Reason));
        Assert.True(deleted.Removed);
    }

    private static (EmbeddedCluster Cluster, KindInfo Kind) Create()
    {
        var kinds = KindRegistry.CreateWithBuiltIns();
        var kind = kinds.RegisterGeneric(PyTorchJob, "pytorchjobs", KindScope.Namespaced, hasStatusSubresource: true);
        return (new EmbeddedCluster(new FakeTimeProvider(TestCluster.Epoch), kinds), kind);
    }

    private static GenericObject Job(string name, string spec, string? status = null)
    {
        var job = new GenericObject
        {
            ApiVersion = PyTorchJob.ApiVersion,
            Kind = PyTorchJob.Kind,
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a" },
        };
        job.Fields["spec"] = Json(spec);
        if (status is not null)
        {
            job.Fields["status"] = Json(status);
        }

        return job;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
