using System.Net;

namespace Kai.ApiServer.Tests;

/// <summary>
/// <see cref="ApiServerOptions.Http2Port"/>: a second port that speaks HTTP/2 in clear text from the first byte, beside
/// the HTTP/1.1 port kubectl uses; both serve the same store.
/// </summary>
public sealed class Http2PortTests
{
    [Fact]
    public async Task Http2Port_WhenSet_ServesHttp2WithPriorKnowledgeAndTheMainPortStaysHttp11()
    {
        await using var server = await TestServer.StartAsync(new ApiServerOptions { Http2Port = 0 });
        using var http2 = new HttpClient { BaseAddress = server.Server.Http2Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var ct = TestServer.Timeout();

        using var created = await http2.PostAsync("/api/v1/namespaces/default/configmaps", Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"over-h2"},"data":{"k":"1"}}"""), ct);
        using var readOverHttp11 = await server.Http.GetAsync("/api/v1/namespaces/default/configmaps/over-h2", ct);

        Assert.NotEqual(server.Server.Address, server.Server.Http2Address);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpVersion.Version20, created.Version);
        Assert.Equal(HttpStatusCode.OK, readOverHttp11.StatusCode);
        Assert.Equal(HttpVersion.Version11, readOverHttp11.Version);
        Assert.Contains("\"k\":\"1\"", await readOverHttp11.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http2Port_WhenAClientSpeaksHttp11ToIt_DoesNotServeIt()
    {
        await using var server = await TestServer.StartAsync(new ApiServerOptions { Http2Port = 0 });
        using var http11 = new HttpClient { BaseAddress = server.Server.Http2Address, Timeout = TestServer.Patience };

        // Kestrel answers an HTTP/1.1 request on an HTTP/2-only port with an error (or drops it); it is never served.
        try
        {
            using var answer = await http11.GetAsync("/api/v1/namespaces", TestServer.Timeout());
            Assert.False(answer.IsSuccessStatusCode, $"an HTTP/1.1 request on the HTTP/2 port was served: {answer.StatusCode}");
        }
        catch (HttpRequestException)
        {
            // Dropped: also refused.
        }
    }

    [Fact]
    public async Task Http2Address_WhenNoHttp2PortIsAsked_IsNull()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Null(server.Server.Http2Address);
    }

    private static StringContent Json(string text) => new(text, System.Text.Encoding.UTF8, "application/json");
}
