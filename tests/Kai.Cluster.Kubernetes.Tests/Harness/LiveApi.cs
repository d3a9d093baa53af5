using Kai.ApiServer;
using Kai.ApiServer.Hosting;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Kubernetes.Tests.Harness;

/// <summary>
/// kai serve without its scheduler (an embedded cluster behind the Kubernetes API on 127.0.0.1:0), seeded like
/// <c>kai simulate</c> seeds its cluster, and the KubernetesClient backend connected to it over HTTP.
/// </summary>
internal sealed class LiveApi : IAsyncDisposable
{
    /// <summary>Long enough for a loaded 2-core machine; a test that waits this long has failed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LiveApi(KaiServer server, KubernetesCluster cluster)
    {
        Server = server;
        Cluster = cluster;
    }

    public KaiServer Server { get; }

    public KubernetesCluster Cluster { get; }

    /// <summary>Fast retries for tests that break the connection: a failed watch is retried within tens of milliseconds.</summary>
    public static KubernetesClusterOptions QuickRetries(TimeProvider? time = null) => new()
    {
        TimeProvider = time ?? TimeProvider.System,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<LiveApi> StartAsync(ManifestSet manifests, TimeProvider time, KubernetesClusterOptions? options = null, ApiServerOptions? api = null)
    {
        var server = await KaiServer.StartAsync(manifests, new ServeOptions { Api = (api ?? new ApiServerOptions()) with { Port = 0, TimeProvider = time }, RunScheduler = false });
        var cluster = KubernetesCluster.Connect(new KubernetesConnection { Server = server.Address }, KaiKinds.CreateRegistry(), options ?? new KubernetesClusterOptions { TimeProvider = time });
        return new LiveApi(server, cluster);
    }

    public static ManifestSet Load(params string[] relativePaths) => ManifestLoader.LoadPaths(relativePaths.Select(Repository.File));

    /// <summary>A token that cancels after <see cref="Patience"/>, so a hung wait fails the test instead of the run.</summary>
    public static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}
