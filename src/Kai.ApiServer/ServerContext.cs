using Kai.ApiServer.Http;
using Kai.ApiServer.Lists;
using Kai.ApiServer.Resources;
using Kai.Cluster.Embedded;

namespace Kai.ApiServer;

/// <summary>What every request handler shares: the cluster, the served resources, the clock and caches.</summary>
internal sealed class ServerContext(EmbeddedCluster cluster, ApiServerOptions options, CancellationToken stopping)
{
    public EmbeddedCluster Cluster { get; } = cluster;

    public ApiServerOptions Options { get; } = options;

    public TimeProvider Time => Options.TimeProvider;

    public ResourceCatalog Catalog { get; } = new();

    public ObjectJsonCache Json { get; } = new();

    public Http.RequestTally Requests { get; } = new();

    public PagedLists PagedLists { get; } = new(options.MaxPagedLists, options.ContinueTokenLifetime, options.TimeProvider);

    /// <summary>Fires when the server stops; long requests (watches) end then.</summary>
    public CancellationToken Stopping { get; } = stopping;
}
