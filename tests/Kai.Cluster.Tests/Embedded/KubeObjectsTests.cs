using CsCheck;
using k8s;
using k8s.Models;
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

    [Fact]
    public void WithEditedAnnotations_WhenRandomMetadataAndEdits_EqualsWithEditedMetadataAndLeavesOriginalUntouched()
    {
        var genMap = Gen.Dictionary(Gen.Int[0, 4].Select(i => "k" + i), Gen.Int[0, 9].Select(i => "v" + i))[0, 4].Null();
        Gen.Select(genMap, genMap, Gen.Bool, Gen.Int[0, 5], Gen.Bool).Sample((labels, annotations, owned, key, remove) =>
        {
            var pod = TestCluster.Pod("p0");
            pod.Metadata.Labels = labels;
            pod.Metadata.Annotations = annotations;
            pod.Metadata.OwnerReferences = owned ? [new V1OwnerReference { Kind = "Pod", Name = "o", Uid = "u" }] : null;
            var before = KubernetesJson.Serialize(pod);
            void Edit(IDictionary<string, string> a)
            {
                if (remove)
                {
                    a.Remove("k" + key);
                }
                else
                {
                    a["k" + key] = "edited";
                }
            }

            var expected = KubeObjects.WithEditedMetadata(pod, m => Edit(m.Annotations ??= new Dictionary<string, string>()));
            var actual = KubeObjects.WithEditedAnnotations(pod, Edit);

            Assert.Equal(KubernetesJson.Serialize(expected), KubernetesJson.Serialize(actual));
            Assert.Equal(before, KubernetesJson.Serialize(pod));
        });
    }
}
