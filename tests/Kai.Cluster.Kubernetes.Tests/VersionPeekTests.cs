using System.Buffers;
using System.Text;
using Kai.Cluster.Kubernetes.Rest;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>Reading an object's namespace, name and resource version from its JSON without deserialising it.</summary>
public sealed class VersionPeekTests
{
    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"ns","resourceVersion":"17"},"spec":{}}""")]
    [InlineData("""{"spec":{"containers":[{"name":"x","args":["{","}"]}]},"metadata":{"labels":{"name":"no","resourceVersion":"0"},"resourceVersion":"17","namespace":"ns","name":"a"}}""")]
    [InlineData("""{ "metadata" : { "uid" : "u", "name" : "\u0061", "namespace" : "n\u0073", "resourceVersion" : "17" } }""")]
    public void TryRead_WhereverTheFieldsAre_ReadsTheObjectsIdentity(string json)
    {
        Assert.True(VersionPeek.TryRead(Bytes(json), out var identity));

        Assert.Equal(new ObjectIdentity("ns", "a", "17"), identity);
    }

    [Fact]
    public void TryRead_OfAClusterScopedObject_HasNoNamespace()
    {
        Assert.True(VersionPeek.TryRead(Bytes("""{"metadata":{"name":"node-1","resourceVersion":"3"}}"""), out var identity));

        Assert.Null(identity.Namespace);
    }

    [Fact]
    public void TryRead_StopsAfterTheMetadata_SoWhatFollowsItIsNotRead()
    {
        // The rest of a watch line (the event's closing brace) or of the object is not the peek's business.
        Assert.True(VersionPeek.TryRead(Bytes("""{"metadata":{"name":"a","resourceVersion":"4"},"spec":{"nodeName":"n"}}}"""), out var identity));

        Assert.Equal("4", identity.ResourceVersion);
    }

    [Theory]
    [InlineData("""{"kind":"Pod","spec":{}}""")]
    [InlineData("""{"metadata":{"name":"a"}}""")]
    [InlineData("""{"metadata":{"resourceVersion":"4"}}""")]
    [InlineData("""{"metadata":null}""")]
    [InlineData("""{"metadata":{"name":"a","resourceVersion":5}}""")]
    [InlineData("""[{"metadata":{"name":"a","resourceVersion":"5"}}]""")]
    [InlineData("""{"metadata":{"name":"a",""")]
    [InlineData("not json")]
    public void TryRead_WithoutANameAndAResourceVersion_IsFalse(string json)
    {
        Assert.False(VersionPeek.TryRead(Bytes(json), out _));
    }

    private static ReadOnlySequence<byte> Bytes(string json) => new(Encoding.UTF8.GetBytes(json));
}
