using System.Text.Json;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Quantities;

/// <summary>The caching quantity converter reads and writes exactly what KubernetesClient's own converter does.</summary>
public sealed class CachedQuantityConverterTests
{
    private static readonly JsonSerializerOptions Cached = new() { Converters = { new CachedQuantityConverter() } };
    private static readonly JsonSerializerOptions Library = new() { Converters = { new ResourceQuantityJsonConverter() } };

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("\"100m\"")]
    [InlineData("\"4Gi\"")]
    [InlineData("\"1.5\"")]
    [InlineData("\"2e3\"")]
    [InlineData("\"0.5Gi\"")]
    [InlineData("\"0000000000000000000000000000000000000000000000000000000000000000000100m\"")]
    [InlineData("12")]
    public void ReadWrite_ForAnyQuantity_MatchesTheLibrarysConverter(string json)
    {
        for (var round = 0; round < 2; round++)
        {
            var cached = JsonSerializer.Deserialize<ResourceQuantity>(json, Cached)!;
            var library = JsonSerializer.Deserialize<ResourceQuantity>(json, Library)!;

            Assert.Equal(library, cached);
            Assert.Equal(JsonSerializer.Serialize(library, Library), JsonSerializer.Serialize(cached, Cached));
        }
    }

    [Fact]
    public void Read_WhenTheSameTextRepeats_SharesOneInstance()
    {
        var converter = new CachedQuantityConverter();
        var options = new JsonSerializerOptions { Converters = { converter } };

        var first = JsonSerializer.Deserialize<ResourceQuantity>("\"8\"", options);
        var second = JsonSerializer.Deserialize<ResourceQuantity>("\"8\"", options);

        Assert.Same(first, second);
    }

    [Fact]
    public void Write_WhenEqualValuesHaveDifferentFormats_WritesEachInItsOwn()
    {
        var converter = new CachedQuantityConverter();
        var options = new JsonSerializerOptions { Converters = { converter } };

        var binary = JsonSerializer.Serialize(new ResourceQuantity("1Gi"), options);
        var decimalBytes = JsonSerializer.Serialize(new ResourceQuantity("1073741824"), options);
        var binaryAgain = JsonSerializer.Serialize(new ResourceQuantity("1024Mi"), options);

        Assert.Equal("\"1Gi\"", binary);
        Assert.Equal("\"1073741824\"", decimalBytes);
        Assert.Equal("\"1Gi\"", binaryAgain);
    }

    [Fact]
    public void Install_WhenCalledAgain_KeepsOneConverter()
    {
        CachedQuantityConverter.Install();
        CachedQuantityConverter.Install();

        var count = 0;
        KubernetesJson.AddJsonOptions(o => count = o.Converters.Count(c => c is CachedQuantityConverter));
        Assert.True(count <= 1);
        Assert.Equal("{\"cpu\":\"250m\"}", KubernetesJson.Serialize(new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") }));
    }
}
