using System.Text.Json.Nodes;
using Kai.ApiServer.Patching;

namespace Kai.ApiServer.Tests.Units;

public sealed class JsonPatchTests
{
    [Theory]
    [InlineData("""[{"op":"add","path":"/a/-","value":3}]""", """{"a":[1,2,3],"b~c":{"d/e":1}}""")]
    [InlineData("""[{"op":"add","path":"/a/0","value":0}]""", """{"a":[0,1,2],"b~c":{"d/e":1}}""")]
    [InlineData("""[{"op":"remove","path":"/b~0c/d~1e"}]""", """{"a":[1,2],"b~c":{}}""")]
    [InlineData("""[{"op":"replace","path":"/a/1","value":9}]""", """{"a":[1,9],"b~c":{"d/e":1}}""")]
    [InlineData("""[{"op":"move","from":"/a","path":"/z"}]""", """{"b~c":{"d/e":1},"z":[1,2]}""")]
    [InlineData("""[{"op":"test","path":"/a","value":[1,2]}]""", """{"a":[1,2],"b~c":{"d/e":1}}""")]
    public void Apply_WhenOperationsApply_GivesTheExpectedDocument(string patch, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2],"b~c":{"d/e":1}}"""), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result!.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a","value":[2,1]}]""", false)]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", false)]
    [InlineData("""[{"op":"replace","path":"/a/5","value":1}]""", false)]
    [InlineData("""[{"op":"jump","path":"/a"}]""", true)]
    [InlineData("""{"op":"add"}""", true)]
    [InlineData("""[{"op":"add","path":"a","value":1}]""", true)]
    public void Apply_WhenAnOperationFails_ThrowsAndSaysWhetherThePatchIsMalformed(string patch, bool malformed)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2]}"""), JsonNode.Parse(patch)));

        Assert.Equal(malformed, error.Malformed);
    }
}
