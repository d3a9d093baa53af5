using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.Cluster.Tests.Manifests;

public sealed partial class CrdSerializationTests
{
    [Fact]
    public void Queue_WhenReadStrictlyFromYaml_HasEveryField()
    {
        var queue = KubernetesYaml.Deserialize<Queue>(CrdYaml.Queue, strict: true);

        Assert.Equal("scheduling.run.ai/v2", queue.ApiVersion);
        Assert.Equal("team-a", queue.Metadata.Name);
        Assert.Equal("Team A", queue.Spec.DisplayName);
        Assert.Equal("department-1", queue.Spec.ParentQueue);
        Assert.Equal(150, queue.Spec.Priority);
        Assert.Equal("30s", queue.Spec.PreemptMinRuntime);
        Assert.Equal("1h30m", queue.Spec.ReclaimMinRuntime);
        Assert.Equal(1000, queue.Spec.Resources!.Cpu!.Quota);
        Assert.Equal(-1, queue.Spec.Resources.Cpu.Limit);
        Assert.Equal(0.5, queue.Spec.Resources.Gpu!.Quota);
        Assert.Equal(2, queue.Spec.Resources.Gpu.OverQuotaWeight);
        Assert.Equal(4000, queue.Spec.Resources.Memory!.Limit);
        Assert.Equal(["team-a-1"], queue.Status!.ChildQueues!);
        Assert.Equal("500m", queue.Status.Allocated!["cpu"].ToString());
        Assert.Equal("1Gi", queue.Status.AllocatedNonPreemptible!["memory"].ToString());
        Assert.Equal("2", queue.Status.Requested!["cpu"].ToString());
        Assert.Equal(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), queue.Status.Conditions![0].LastProbeTime);
        Assert.Equal("Reconciled", queue.Status.Conditions[0].Reason);
    }

    [Fact]
    public void PodGroup_WhenReadStrictlyFromYaml_HasEveryField()
    {
        var podGroup = KubernetesYaml.Deserialize<PodGroup>(CrdYaml.PodGroup, strict: true);

        Assert.Equal(3, podGroup.Spec.MinMember);
        Assert.Equal("non-preemptible", podGroup.Spec.Preemptibility);
        Assert.False(podGroup.Spec.MarkUnschedulable);
        Assert.Equal(1, podGroup.Spec.SchedulingBackoff);
        Assert.Equal("zone", podGroup.Spec.TopologyConstraint!.RequiredTopologyLevel);
        Assert.Equal("master", podGroup.Spec.SubGroups![1].Parent);
        Assert.Equal("rack", podGroup.Spec.SubGroups[1].TopologyConstraint!.PreferredTopologyLevel);
        Assert.Equal(2, podGroup.Spec.BackoffLimit);
        Assert.Equal("4", podGroup.Status!.Conditions![0].TransitionID);
        Assert.Equal(4, podGroup.Status.Pending);
        Assert.Equal("1500m", podGroup.Status.ResourcesStatus!.Requested!["cpu"].ToString());
        var condition = podGroup.Status.SchedulingConditions![0];
        Assert.Equal("7", condition.TransitionID);
        Assert.Equal("default", condition.NodePool);
        Assert.Equal("OverLimit", condition.Reasons![0].Reason);
        var details = condition.Reasons[0].Details!.QueueDetails!;
        Assert.Equal("team-a", details.Name);
        Assert.Equal("5", details.QueueRequestedResources!["nvidia.com/gpu"].ToString());
        Assert.Equal("3", details.PodGroupRequestedNonPreemptibleResources!["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public void BindRequest_WhenReadStrictlyFromYaml_HasEveryField()
    {
        var bindRequest = KubernetesYaml.Deserialize<BindRequest>(CrdYaml.BindRequest, strict: true);

        Assert.Equal("node-1", bindRequest.Spec.SelectedNode);
        Assert.Equal("Fraction", bindRequest.Spec.ReceivedResourceType);
        Assert.Equal(1, bindRequest.Spec.ReceivedGPU!.Count);
        Assert.Equal("0.50", bindRequest.Spec.ReceivedGPU.Portion);
        Assert.Equal(["8f3c0a6e-group"], bindRequest.Spec.SelectedGPUGroups!);
        var allocation = bindRequest.Spec.ResourceClaimAllocations![0];
        Assert.Equal("gpu-claim", allocation.Name);
        Assert.Equal("share-1", allocation.Allocation!.Devices.Results[0].ShareID);
        Assert.Equal("node-1", allocation.Allocation.NodeSelector.NodeSelectorTerms[0].MatchFields[0].Values[0]);
        Assert.Equal(3, bindRequest.Spec.BackoffLimit);
        Assert.Equal("Failed", bindRequest.Status!.Phase);
        Assert.Equal(2, bindRequest.Status.FailedAttempts);
    }

    [Fact]
    public void Topology_WhenReadStrictlyFromYaml_HasLevelsInOrder()
    {
        var topology = KubernetesYaml.Deserialize<Topology>(CrdYaml.Topology, strict: true);

        Assert.Equal(
            ["topology.kubernetes.io/zone", "cloud.example.com/rack", "kubernetes.io/hostname"],
            topology.Spec.Levels!.Select(l => l.NodeLabel));
    }

    [Theory]
    [MemberData(nameof(AllCrds))]
    public void YamlRoundTrip_KeepsEveryField(string yaml, Type type)
    {
        var original = Deserialize(yaml, type);

        var written = KubernetesYaml.Serialize(original);
        var reread = Deserialize(written, type);

        Assert.Equal(KubernetesJson.Serialize(original), KubernetesJson.Serialize(reread));
        Assert.Equal(Keys(yaml), Keys(written));
    }

    [Theory]
    [MemberData(nameof(AllCrds))]
    public void JsonRoundTrip_KeepsEveryField(string yaml, Type type)
    {
        var original = Deserialize(yaml, type);

        var json = KubernetesJson.Serialize(original);
        var reread = typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.GetParameters() is [{ ParameterType.Name: "String" }, _])
            .MakeGenericMethod(type)
            .Invoke(null, [json, null])!;

        Assert.Equal(json, KubernetesJson.Serialize(reread));
        Assert.Equal(KubernetesYaml.Serialize(original), KubernetesYaml.Serialize(reread));
    }

    [Fact]
    public void Json_UsesKaisWireNames()
    {
        var podGroup = KubernetesYaml.Deserialize<PodGroup>(CrdYaml.PodGroup, strict: true);
        var bindRequest = KubernetesYaml.Deserialize<BindRequest>(CrdYaml.BindRequest, strict: true);

        var podGroupJson = KubernetesJson.Serialize(podGroup);
        var bindRequestJson = KubernetesJson.Serialize(bindRequest);

        Assert.Contains("\"transitionID\":\"7\"", podGroupJson, StringComparison.Ordinal);
        Assert.Contains("\"subGroups\":[", podGroupJson, StringComparison.Ordinal);
        Assert.Contains("\"podGroupRequestedNonPreemptibleResources\":{\"nvidia.com/gpu\":\"3\"}", podGroupJson, StringComparison.Ordinal);
        Assert.Contains("\"receivedGPU\":{\"count\":1,\"portion\":\"0.50\"}", bindRequestJson, StringComparison.Ordinal);
        Assert.Contains("\"selectedGPUGroups\":[\"8f3c0a6e-group\"]", bindRequestJson, StringComparison.Ordinal);
        Assert.Contains("\"shareID\":\"share-1\"", bindRequestJson, StringComparison.Ordinal);
    }

    [Fact]
    public void NewObjects_CarryTheirApiVersionAndKind()
    {
        Assert.Equal("{\"apiVersion\":\"scheduling.run.ai/v2\",\"kind\":\"Queue\",\"metadata\":{},\"spec\":{}}", KubernetesJson.Serialize(new Queue()));
        Assert.Equal("scheduling.run.ai/v2alpha2", new PodGroup().ApiVersion);
        Assert.Equal("scheduling.run.ai/v1alpha2", new BindRequest().ApiVersion);
        Assert.Equal("kai.scheduler/v1alpha1", new Topology().ApiVersion);
        Assert.Equal("QueueList", new QueueList().Kind);
        Assert.Equal("PodGroupList", new PodGroupList().Kind);
        Assert.Equal("BindRequestList", new BindRequestList().Kind);
        Assert.Equal("TopologyList", new TopologyList().Kind);
    }

    [Fact]
    public void KubernetesEntityAttributes_MatchKaisCrds()
    {
        Assert.Equal(("scheduling.run.ai", "v2", "Queue", "queues"), Entity<Queue>());
        Assert.Equal(("scheduling.run.ai", "v2alpha2", "PodGroup", "podgroups"), Entity<PodGroup>());
        Assert.Equal(("scheduling.run.ai", "v1alpha2", "BindRequest", "bindrequests"), Entity<BindRequest>());
        Assert.Equal(("kai.scheduler", "v1alpha1", "Topology", "topologies"), Entity<Topology>());
    }

    [Fact]
    public void QueueList_ReadsFromJsonAsTheApiServerSendsIt()
    {
        const string json = """{"apiVersion":"scheduling.run.ai/v2","kind":"QueueList","metadata":{"resourceVersion":"42"},"items":[{"metadata":{"name":"a"},"spec":{"resources":{"gpu":{"quota":1}}}}]}""";

        var list = KubernetesJson.Deserialize<QueueList>(json);

        Assert.Equal("42", list.Metadata.ResourceVersion);
        Assert.Equal(1, list.Items.Single().Spec.Resources!.Gpu!.Quota);
    }

    public static TheoryData<string, Type> AllCrds() => new()
    {
        { CrdYaml.Queue, typeof(Queue) },
        { CrdYaml.PodGroup, typeof(PodGroup) },
        { CrdYaml.BindRequest, typeof(BindRequest) },
        { CrdYaml.Topology, typeof(Topology) },
    };

    private static object Deserialize(string yaml, Type type) =>
        typeof(KubernetesYaml).GetMethods()
            .Single(m => m.Name == nameof(KubernetesYaml.Deserialize) && m.GetParameters() is [{ ParameterType.Name: "String" }, _])
            .MakeGenericMethod(type)
            .Invoke(null, [yaml, true])!;

    // Field order, list-item layout and number format ("4" vs "4.0") may differ; the wire names must not.
    private static string[] Keys(string yaml) =>
        yaml.Split('\n')
            .Select(line => KeyPattern().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["key"].Value)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static (string, string, string, string) Entity<T>()
    {
        var attribute = (KubernetesEntityAttribute)Attribute.GetCustomAttribute(typeof(T), typeof(KubernetesEntityAttribute))!;
        return (attribute.Group, attribute.ApiVersion, attribute.Kind, attribute.PluralName);
    }

    [GeneratedRegex(@"^\s*(- )?(?<key>[A-Za-z][\w./-]*):", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
