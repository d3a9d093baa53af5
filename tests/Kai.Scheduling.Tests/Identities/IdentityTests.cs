using CsCheck;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Tests.Identities;

public sealed class IdentityTests
{
    [Fact]
    public void ToString_WritesNamespaceSlashName()
    {
        Assert.Equal("team-a/train-0", new PodKey("team-a", "train-0").ToString());
        Assert.Equal("team-a/train", new PodGroupKey("team-a", "train").ToString());
        Assert.Equal("gpu-node-1", new NodeName("gpu-node-1").ToString());
        Assert.Equal("team-a", new QueueKey("team-a").ToString());
    }

    [Fact]
    public void TryFormat_WritesWhatToStringWrites_AndNothingWhenItDoesNotFit()
    {
        var pod = new PodKey("team-a", "train-0");
        var group = new PodGroupKey("team-a", "train");

        Assert.Equal($"{pod.ToString()} for {group.ToString()}", $"{pod} for {group}");
        Span<char> small = stackalloc char[pod.ToString().Length - 1];
        Assert.False(pod.TryFormat(small, out var written, default, null));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Parse_ReadsWhatToStringWrote()
    {
        Assert.Equal(new PodKey("team-a", "train-0"), PodKey.Parse("team-a/train-0"));
        Assert.Equal(new PodGroupKey("team-a", "train"), PodGroupKey.Parse("team-a/train"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-namespace")]
    [InlineData("/name")]
    [InlineData("ns/")]
    [InlineData("ns/a/b")]
    public void TryParse_WhenNotNamespaceSlashName_Fails(string? text)
    {
        Assert.False(PodKey.TryParse(text, out _));
        Assert.False(PodGroupKey.TryParse(text, out _));
    }

    [Fact]
    public void Parse_WhenNotNamespaceSlashName_SaysWhatToWrite()
    {
        var error = Assert.Throws<FormatException>(() => PodGroupKey.Parse("train"));

        Assert.Equal("'train' is not a pod group reference; write namespace/name.", error.Message);
    }

    [Fact]
    public void CompareOrdinal_OrdersAsTheWrittenTextsCompare()
    {
        var part = Gen.String[Gen.Char["a-/0"], 0, 4];
        Gen.Select(part, part, part, part).Sample((ns1, name1, ns2, name2) =>
            Assert.Equal(
                Math.Sign(string.CompareOrdinal($"{ns1}/{name1}", $"{ns2}/{name2}")),
                Math.Sign(PodKey.CompareOrdinal(new PodKey(ns1, name1), new PodKey(ns2, name2)))));
    }
}
