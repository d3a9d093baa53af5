using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

public sealed class ManifestLoaderUnknownFieldTests
{
    [Fact]
    public void LoadText_WhenUnknownFields_WarnsForEachAndKeepsTheObject()
    {
        const string text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: trainer-0
              namespace: team-a
              bogus: 1
            spec:
              schedulerName: kai-scheduler
              containers:
              - name: main
                image: ubuntu
                resourcez:
                  limits: {cpu: 1}
                resources:
                  requests:
                    cpu: 250m
            """;

        var set = ManifestLoader.LoadText(text, "pod.yaml");

        var pod = Assert.IsType<V1Pod>(Assert.Single(set.Objects).Object);
        Assert.Equal("kai-scheduler", pod.Spec.SchedulerName);
        Assert.Equal("250m", pod.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal(
            [
                new ManifestDiagnostic(DiagnosticSeverity.Warning, new SourceLocation("pod.yaml", 1, 6), "Pod team-a/trainer-0", "unknown field metadata.bogus is not part of Pod and was ignored"),
                new ManifestDiagnostic(
                    DiagnosticSeverity.Warning,
                    new SourceLocation("pod.yaml", 1, 12),
                    "Pod team-a/trainer-0",
                    "unknown field spec.containers[0].resourcez (did you mean resources?) is not part of Pod and was ignored"),
            ],
            set.Diagnostics);
    }

    [Fact]
    public void LoadText_WhenPodGroupUsesSubgroupsLikeKaisTopologyDoc_SuggestsSubGroupsAndKeepsThePodGroup()
    {
        const string text = """
            apiVersion: scheduling.run.ai/v2alpha2
            kind: PodGroup
            metadata:
              name: pg
            spec:
              minMember: 2
              subgroups:
              - name: a
            """;

        var set = ManifestLoader.LoadText(text, "pg.yaml");

        var podGroup = Assert.IsType<PodGroup>(Assert.Single(set.Objects).Object);
        Assert.Equal(2, podGroup.Spec.MinMember);
        Assert.Null(podGroup.Spec.SubGroups);
        var warning = Assert.Single(set.Diagnostics);
        Assert.Equal(new SourceLocation("pg.yaml", 1, 7), warning.Location);
        Assert.Equal("unknown field spec.subgroups (did you mean subGroups?) is not part of PodGroup and was ignored", warning.Message);
    }

    [Fact]
    public void LoadText_WhenQueueUsesResourceQuotaLikeKaisShardsDoc_WarnsThenRejectsTheMissingResources()
    {
        const string text = """
            apiVersion: scheduling.run.ai/v2
            kind: Queue
            metadata:
              name: cpu-queue
            spec:
              resourceQuota:
                cpu: {quota: 1}
            """;

        var set = ManifestLoader.LoadText(text, "q.yaml");

        Assert.Empty(set.Objects);
        Assert.Equal(
            [
                (DiagnosticSeverity.Warning, 6, "unknown field spec.resourceQuota is not part of Queue and was ignored"),
                (DiagnosticSeverity.Error, 5, "spec.resources is missing; KAI rejects such queues (\"resources must be specified\"). Add spec.resources with cpu, gpu and memory, e.g. gpu: {quota: 2, limit: -1, overQuotaWeight: 1}"),
            ],
            set.Diagnostics.Select(d => (d.Severity, d.Location.Line!.Value, d.Message)));
    }

    [Fact]
    public void LoadText_WhenUnknownFieldsNestedInCrdTypes_ReportsFullPaths()
    {
        const string text = """
            apiVersion: scheduling.run.ai/v1alpha2
            kind: BindRequest
            metadata:
              name: br
            spec:
              receivedGPU:
                count: 1
                portions: "0.5"
              resourceClaimAllocations:
              - name: c
                allocation:
                  devicez: {}
            status:
              phase: Pending
              attempts: 1
            """;

        var set = ManifestLoader.LoadText(text, "br.yaml");

        var bindRequest = Assert.IsType<BindRequest>(Assert.Single(set.Objects).Object);
        Assert.Equal(1, bindRequest.Spec.ReceivedGPU!.Count);
        Assert.Equal(
            [
                (8, "unknown field spec.receivedGPU.portions (did you mean portion?) is not part of BindRequest and was ignored"),
                (12, "unknown field spec.resourceClaimAllocations[0].allocation.devicez (did you mean devices?) is not part of BindRequest and was ignored"),
                (15, "unknown field status.attempts is not part of BindRequest and was ignored"),
            ],
            set.Diagnostics.Select(d => (d.Location.Line!.Value, d.Message)));
    }

    [Fact]
    public void LoadText_WhenUnknownFieldHasAQuotedKey_ShowsItBracketed()
    {
        var set = ManifestLoader.LoadText("apiVersion: v1\nkind: Node\nmetadata:\n  name: n\nspec:\n  \"odd key\": 1\n", "n.yaml");

        Assert.Single(set.Objects);
        Assert.Equal("unknown field spec[\"odd key\"] is not part of Node and was ignored", Assert.Single(set.Diagnostics).Message);
    }
}
