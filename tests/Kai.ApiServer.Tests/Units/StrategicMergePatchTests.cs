using System.Text.Json.Nodes;
using k8s.Models;
using Kai.ApiServer.Patching;

namespace Kai.ApiServer.Tests.Units;

public sealed class StrategicMergePatchTests
{
    [Fact]
    public void Apply_WithReplaceDirectiveInAList_ReplacesTheWholeList()
    {
        var target = Json("""{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}""");

        var result = StrategicMergePatch.Apply(target, Json("""{"containers":[{"name":"c","image":"2"},{"$patch":"replace"}]}"""), typeof(V1PodSpec));

        Assert.Equal("""{"containers":[{"name":"c","image":"2"}]}""", result.ToJsonString());
    }

    [Fact]
    public void Apply_WithSetElementOrder_OrdersTheMergedListAsGiven()
    {
        var target = Json("""{"containers":[{"name":"a"},{"name":"b"}]}""");

        var result = StrategicMergePatch.Apply(
            target,
            Json("""{"$setElementOrder/containers":[{"name":"c"},{"name":"b"},{"name":"a"}],"containers":[{"name":"c"}]}"""),
            typeof(V1PodSpec));

        Assert.Equal("""{"containers":[{"name":"c"},{"name":"b"},{"name":"a"}]}""", result.ToJsonString());
    }

    [Fact]
    public void Apply_WithRetainKeys_DropsKeysNotListed()
    {
        var target = Json("""{"volumes":[{"name":"v","emptyDir":{},"hostPath":{"path":"/x"}}]}""");

        var result = StrategicMergePatch.Apply(
            target,
            Json("""{"volumes":[{"name":"v","$retainKeys":["name","configMap"],"configMap":{"name":"c"}}]}"""),
            typeof(V1PodSpec));

        Assert.Equal("""{"volumes":[{"name":"v","configMap":{"name":"c"}}]}""", result.ToJsonString());
    }

    [Fact]
    public void Apply_OnAListWithoutMergeKey_ReplacesItAndNullRemovesAField()
    {
        var target = Json("""{"tolerations":[{"key":"a"}],"nodeName":"n1","priority":5}""");

        var result = StrategicMergePatch.Apply(target, Json("""{"tolerations":[{"key":"b"}],"nodeName":null}"""), typeof(V1PodSpec));

        Assert.Equal("""{"tolerations":[{"key":"b"}],"priority":5}""", result.ToJsonString());
    }

    [Fact]
    public void Apply_WithUnknownPatchDirective_IsMalformed()
    {
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Json("{}"), Json("""{"$patch":"explode"}"""), typeof(V1PodSpec)));

        Assert.True(error.Malformed);
    }

    private static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;
}
