using System.Text;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;
using Kai.Cluster;

namespace Kai.ApiServer.Tests.Units;

/// <summary>The one-pass decoder takes only what the full path would accept unchanged, and declines the rest.</summary>
public sealed class DirectDecoderTests
{
    private static readonly IReadOnlyList<ApiResource> Resources = BuiltInResources.Create(KaiKinds.CreateRegistry());

    private static ApiResource Pods => Resources.First(r => r.Plural == "pods");

    [Fact]
    public void TryDecode_WhenWellFormedPod_ReadsItInOnePassWithTypeMeta()
    {
        var body = Bytes("""{"metadata":{"name":"p","labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"500m"}}}]}}""");

        var pod = Assert.IsType<V1Pod>(DirectDecoder.TryDecode(Pods, body, "application/json"));

        Assert.Equal(("v1", "Pod", "p", "b"), (pod.ApiVersion, pod.Kind, pod.Metadata.Name, pod.Metadata.Labels["a"]));
        Assert.Equal("500m", pod.Spec.Containers[0].Resources.Requests["cpu"].ToString());
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"p"},"bogus":1}""")]
    [InlineData("""{"metadata":{"name":"p","bogus":1}}""")]
    [InlineData("""{"metadata":{"name":"p"},"metadata":{"name":"q"}}""")]
    [InlineData("""{"kind":"Secret","metadata":{"name":"p"}}""")]
    [InlineData("""{"apiVersion":"v2","metadata":{"name":"p"}}""")]
    [InlineData("""{"metadata":{"name":5}}""")]
    [InlineData("""{"metadata":{"name":"p"}} trailing""")]
    [InlineData("""[{"metadata":{"name":"p"}}]""")]
    [InlineData("metadata:\n  name: p\n")]
    public void TryDecode_WhenTheFullPathHasSomethingToSay_Declines(string text)
    {
        Assert.Null(DirectDecoder.TryDecode(Pods, Bytes(text), "application/json"));
    }

    [Fact]
    public void TryDecode_WhenYamlOrCustomResourceTheFullPathWouldChange_Declines()
    {
        var body = Bytes("""{"metadata":{"name":"p"}}""");
        var queues = CustomResources.Build(KaiCrds(), KaiKinds.CreateRegistry()).First(r => r.Plural == "queues");

        Assert.Null(DirectDecoder.TryDecode(Pods, body, "application/yaml"));
        Assert.Null(DirectDecoder.TryDecode(queues, Bytes("""{"metadata":{"name":"p"},"spec":{"bogus":1}}"""), "application/json"));
        Assert.Null(DirectDecoder.TryDecode(queues, Bytes("""{"metadata":{"name":"p"},"spec":null}"""), "application/json"));
        Assert.NotNull(DirectDecoder.TryDecode(queues, body, "application/json"));
    }

    [Fact]
    public void TryRead_WhenBindingJson_ReadsIt_AndDeclinesYaml()
    {
        var binding = DirectDecoder.TryRead<V1Binding>(Bytes("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"n1"}}"""), "application/json; charset=utf-8");

        Assert.Equal("n1", binding?.Target.Name);
        Assert.Null(DirectDecoder.TryRead<V1Binding>(Bytes("target:\n  name: n1\n"), "application/yaml"));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static V1CustomResourceDefinition KaiCrds() =>
        CustomResourceDefinitions.Embedded().First(c => c.Spec.Names.Plural == "queues");
}
