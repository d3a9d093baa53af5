using System.Text;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;
using Kai.Cluster;

namespace Kai.ApiServer.Tests.Units;

/// <summary>
/// <see cref="DirectDecoder.ReadsCustomResources"/> is process-wide: while a test has it off, any other test decoding
/// a custom resource in one pass (e.g. <see cref="DirectDecoderTests"/>) would get null. Tests that switch it run in
/// <see cref="DirectDecoderSwitchCollection"/>, apart from every other test.
/// </summary>
[Collection(DirectDecoderSwitchCollection.Name)]
public sealed class DirectDecoderSwitchTests
{
    [Fact]
    public void TryDecode_WhenCustomResourcesAreSwitchedOff_Declines()
    {
        var queues = CustomResourceDefinitions.Embedded().SelectMany(crd => CustomResources.Build(crd, KaiKinds.CreateRegistry())).First(r => r.Plural == "queues");
        var body = Encoding.UTF8.GetBytes("""{"metadata":{"name":"q"},"spec":{}}""");
        Assert.NotNull(DirectDecoder.TryDecode(queues, body, "application/json"));

        DirectDecoder.ReadsCustomResources = false;
        try
        {
            Assert.Null(DirectDecoder.TryDecode(queues, body, "application/json"));
        }
        finally
        {
            DirectDecoder.ReadsCustomResources = true;
        }
    }
}

/// <summary>Tests that switch <see cref="DirectDecoder.ReadsCustomResources"/> run one at a time and apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DirectDecoderSwitchCollection
{
    public const string Name = "DirectDecoder switch";
}
