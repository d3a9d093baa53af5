using k8s.Models;
using Kai.Controllers.Mapping;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Tests.Mapping;

/// <summary>A Kubernetes pod as the engine sees it: effective request, status, and what could not be read.</summary>
public sealed class PodMapperTests
{
    [Fact]
    public void Map_WhenOnlyLimitsAreGiven_RequestsTheLimitsAndOnePodSlot()
    {
        var pod = Pod(limits: new() { ["nvidia.com/gpu"] = new("2"), ["cpu"] = new("1500m"), ["memory"] = new("1Gi") });

        var mapped = Map(pod, out var issues);

        Assert.Equal((2000L, 1500L, 1073741824L, 1L), (mapped.Request.Gpu, mapped.Request.Cpu, mapped.Request.Memory, mapped.Request.Pods));
        Assert.Empty(issues);
    }

    [Fact]
    public void Map_WithAnInitContainerLargerThanTheContainersTogether_RequestsTheInitContainers()
    {
        var pod = Pod(requests: new() { ["cpu"] = new("1") });
        pod.Spec.Containers.Add(new V1Container { Name = "side", Image = "x", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } } });
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "x", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4") } } }];

        Assert.Equal(4000, Map(pod, out _).Request.Cpu);
    }

    [Fact]
    public void Map_WithAGpuFraction_RequestsAShareOfOneDeviceAndNoWholeGpu()
    {
        var pod = Pod();
        pod.Metadata.Annotations = new Dictionary<string, string> { ["gpu-fraction"] = "0.5" };

        var mapped = Map(pod, out _);

        Assert.Equal(GpuRequest.Fraction(500), mapped.Gpu);
        Assert.Equal(0, mapped.Request.Gpu);
    }

    [Fact]
    public void Map_WithAnUnreadableGpuFraction_ReportsTheObjectAndTheAnnotationAndStillMapsThePod()
    {
        var pod = Pod(limits: new() { ["cpu"] = new("1") });
        pod.Metadata.Annotations = new Dictionary<string, string> { ["gpu-fraction"] = "lots" };

        var mapped = Map(pod, out var issues);

        var issue = Assert.Single(issues);
        Assert.Equal(("Pod", "team-a", "p0"), (issue.Kind, issue.Namespace, issue.Name));
        Assert.Contains("gpu-fraction", issue.Message, StringComparison.Ordinal);
        Assert.Equal(1000, mapped.Request.Cpu);
    }

    [Theory]
    [InlineData(null, null, null, PodStatus.Pending)]
    [InlineData("Running", "n1", null, PodStatus.Running)]
    [InlineData(null, null, "n2", PodStatus.Binding)]
    [InlineData("Succeeded", "n1", null, PodStatus.Succeeded)]
    public void Map_StatusAndNode_FollowPhaseNodeNameAndALiveBindRequest(string? phase, string? nodeName, string? bindNode, PodStatus expected)
    {
        var pod = Pod();
        pod.Spec.NodeName = nodeName;
        pod.Status = phase is null ? null : new V1PodStatus { Phase = phase };

        var mapped = PodMapper.Map(pod, bindNode, new ResourceCatalog(), []);

        Assert.Equal(expected, mapped.Status);
        Assert.Equal(nodeName ?? bindNode, mapped.NodeName);
    }

    [Fact]
    public void Map_OfAnotherSchedulersPod_IsNotScheduledByUs()
    {
        var pod = Pod();
        pod.Spec.SchedulerName = "default-scheduler";

        Assert.False(Map(pod, out _).IsScheduledByUs);
    }

    private static Pod Map(V1Pod pod, out List<MappingIssue> issues)
    {
        issues = [];
        return PodMapper.Map(pod, null, new ResourceCatalog(), issues);
    }

    private static V1Pod Pod(Dictionary<string, ResourceQuantity>? limits = null, Dictionary<string, ResourceQuantity>? requests = null)
    {
        var pod = TestCluster.Pod("p0");
        pod.Spec.SchedulerName = "kai-scheduler";
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = limits, Requests = requests };
        return pod;
    }
}
