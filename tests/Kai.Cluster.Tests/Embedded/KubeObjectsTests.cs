using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class KubeObjectsTests
{
    [Fact]
    public void Clone_WhenCalled_ReturnsDeepEqualIndependentCopy()
    {
        var pod = TestCluster.Pod("p0");
        pod.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };

        var clone = KubeObjects.Clone(pod);
        clone.Metadata.Labels["a"] = "2";
        clone.Spec.Containers[0].Image = "other";

        Assert.Equal("1", pod.Metadata.Labels["a"]);
        Assert.Equal("busybox", pod.Spec.Containers[0].Image);
    }

    [Fact]
    public void WithEditedMetadata_WhenEdited_LeavesOriginalUntouchedAndSharesSpec()
    {
        var pod = TestCluster.Pod("p0");
        pod.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };

        var copy = KubeObjects.WithEditedMetadata(pod, m => m.Labels["a"] = "2");

        Assert.Equal("1", pod.Metadata.Labels["a"]);
        Assert.Equal("2", copy.Metadata.Labels["a"]);
        Assert.Same(pod.Spec, copy.Spec);
    }

    [Fact]
    public void ShallowCopy_WhenCustomType_CopiesTopLevelOnly()
    {
        var widget = TestCluster.Widget("w0");

        var copy = KubeObjects.ShallowCopy(widget);

        Assert.NotSame(widget, copy);
        Assert.Same(widget.Metadata, copy.Metadata);
    }
}
