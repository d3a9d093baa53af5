using k8s;
using Kai.Cluster;
using Kai.Cluster.Embedded;

namespace Kai.ApiServer.Tests;

/// <summary>An API server on 127.0.0.1:0 over a fresh embedded cluster, with a KubernetesClient and a raw HTTP client pointed at it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    /// <summary>
    /// Long enough for a loaded 2-core machine; a test that waits this long has failed. The same bound as the other
    /// live-server tests' (Kai.Cluster.Kubernetes.Tests' LiveApi.Patience): it only ends a hang, so one value sized
    /// for CI's machine (where kubectl's process start and a fresh scheduler's first cycles are slowest) serves all.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestServer(ApiServer server, EmbeddedCluster cluster)
    {
        Server = server;
        Cluster = cluster;
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Address.ToString().TrimEnd('/') });
        Http = new HttpClient { BaseAddress = server.Address, Timeout = Patience };
    }

    public ApiServer Server { get; }

    public EmbeddedCluster Cluster { get; }

    public Kubernetes Client { get; }

    public HttpClient Http { get; }

    public static async Task<TestServer> StartAsync(ApiServerOptions? options = null, EmbeddedClusterOptions? clusterOptions = null, TimeProvider? time = null)
    {
        var cluster = new EmbeddedCluster(time ?? TimeProvider.System, KaiKinds.CreateRegistry(), clusterOptions);
        var server = await ApiServer.StartAsync(cluster, (options ?? new ApiServerOptions()) with { Port = 0, TimeProvider = time ?? TimeProvider.System });
        return new TestServer(server, cluster);
    }

    /// <summary>A token that cancels after <see cref="Patience"/>, so a hung wait fails the test instead of the run.</summary>
    public static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
