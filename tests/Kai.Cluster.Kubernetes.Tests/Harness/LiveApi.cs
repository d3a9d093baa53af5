using Kai.ApiServer;
using Kai.ApiServer.Faults;
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

    /// <summary>The server's fault injector (every LiveApi has one; it does nothing until told to).</summary>
    public ApiFaults Faults => Server.Api.Options.Faults!;

    /// <param name="http2">The backend on the server's HTTP/2-only port with prior knowledge, as the through-API bench runs, instead of HTTP/1.1.</param>
    public static async Task<LiveApi> StartAsync(ManifestSet manifests, TimeProvider time, KubernetesClusterOptions? options = null, ApiServerOptions? api = null, bool http2 = false)
    {
        var server = await KaiServer.StartAsync(manifests, new ServeOptions { Api = (api ?? new ApiServerOptions()) with { Port = 0, Http2Port = http2 ? 0 : null, TimeProvider = time, Faults = new ApiFaults() }, RunScheduler = false });
        var connection = http2 ? new KubernetesConnection { Server = server.Api.Http2Address, Http2PriorKnowledge = true } : new KubernetesConnection { Server = server.Address };
        var cluster = KubernetesCluster.Connect(connection, KaiKinds.CreateRegistry(), options ?? new KubernetesClusterOptions { TimeProvider = time });
        return new LiveApi(server, cluster);
    }

    public static ManifestSet Load(params string[] relativePaths) => ManifestLoader.LoadPaths(relativePaths.Select(Repository.File));

    /// <summary>A token that cancels after <see cref="Patience"/>, so a hung wait fails the test instead of the run.</summary>
    public static CancellationToken Timeout() => new CancellationTokenSource(Patience).Token;

    /// <summary>
    /// Waits until the backend's cache of every watched kind holds exactly what the server stores (same objects, same
    /// versions) and none of our writes is still unobserved: the point where components on the backend see what
    /// components on the embedded cluster would see.
    /// </summary>
    public async Task SettleAsync(CancellationToken cancellationToken)
    {
        while (!Settled())
        {
            await Task.Delay(2, cancellationToken);
        }
    }

    private bool Settled()
    {
        var store = Server.Cluster;
        foreach (var kind in Cluster.Kinds.All)
        {
            var (observed, pending) = Cluster.ObservedVersions(kind.Key);
            if (observed is null)
            {
                continue;
            }

            if (pending)
            {
                return false;
            }

            var stored = store.List(store.Kinds.Get(kind.Key)).Items;
            if (stored.Count != observed.Count)
            {
                return false;
            }

            foreach (var obj in stored)
            {
                var ns = kind.IsNamespaced ? obj.Metadata.NamespaceProperty ?? "default" : string.Empty;
                if (!observed.TryGetValue((ns, obj.Metadata.Name), out var version) || version != obj.Metadata.ResourceVersion)
                {
                    return false;
                }
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}
