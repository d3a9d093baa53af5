using System.Text.Json.Nodes;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;
using Kai.ApiServer.Selectors;
using Kai.ApiServer.Tables;

namespace Kai.ApiServer.Tests.Units;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("a=b", "a=b")]
    [InlineData(" a == b , c != d ", "a=b,c!=d")]
    [InlineData("env in (prod,  dev),!legacy,tier", "env in (prod,dev),!legacy,tier")]
    [InlineData("replicas>2,weight<10", "replicas>2,weight<10")]
    public void LabelSelector_Parse_ReadsEveryRequirement(string text, string normalized)
    {
        Assert.Equal(normalized, LabelSelector.Parse(text).ToString());
    }

    [Theory]
    [InlineData("a in ()")]
    [InlineData("a in (x")]
    [InlineData("a=b c=d")]
    [InlineData("a>x")]
    [InlineData("a between (x)")]
    public void LabelSelector_Parse_RejectsMalformedSelectorsWith400(string text)
    {
        Assert.Equal(400, Assert.Throws<ApiException>(() => LabelSelector.Parse(text)).Code);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/ns/pods/p/status", "Resource", "", "v1", "pods", "ns", "p", "status")]
    [InlineData("/api/v1/namespaces/ns", "Resource", "", "v1", "namespaces", null, "ns", null)]
    [InlineData("/api/v1/namespaces/ns/status", "Resource", "", "v1", "namespaces", null, "ns", "status")]
    [InlineData("/api/v1/namespaces/ns/pods", "Resource", "", "v1", "pods", "ns", null, null)]
    [InlineData("/apis/scheduling.run.ai/v2/queues/q", "Resource", "scheduling.run.ai", "v2", "queues", null, "q", null)]
    [InlineData("/apis/policy/v1", "ResourceList", "policy", "v1", null, null, null, null)]
    public void Route_Parse_SplitsResourcePaths(string path, string kind, string group, string version, string? plural, string? ns, string? name, string? sub)
    {
        Assert.Equal(new Route(Enum.Parse<RouteKind>(kind), group, version, plural, ns, name, sub), Route.Parse(path));
    }

    [Theory]
    [InlineData(59, "59s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 7200, "3d2h")]
    [InlineData(400 * 86400, "400d")]
    public void HumanDuration_Format_WritesAgesAsKubectlDoes(int seconds, string expected)
    {
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void YamlJson_Parse_TypesPlainScalarsAndKeepsQuotedOnesAsStrings()
    {
        var json = YamlJson.Parse("a: 1\nb: \"1\"\nc: true\nd: ~\ne: 1.5\nf: 100m\ng: [x, 2]\n");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":1,"b":"1","c":true,"d":null,"e":1.5,"f":"100m","g":["x",2]}"""), json), json.ToJsonString());
    }

    [Fact]
    public void KubeVersionOrder_PrefersGeneralAvailabilityThenBetaThenAlpha()
    {
        Assert.Equal(
            ["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "other"],
            new[] { "v1alpha1", "other", "v1beta1", "v1", "v2beta1", "v2", "v1beta2" }.Order(KubeVersionOrder.Instance));
    }
}
