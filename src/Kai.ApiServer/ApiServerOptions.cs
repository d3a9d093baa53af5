namespace Kai.ApiServer;

/// <summary>Settings of an <see cref="ApiServer"/>.</summary>
public sealed record ApiServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (see <see cref="ApiServer.Address"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// A second TCP port on 127.0.0.1 that speaks HTTP/2 only, in clear text from the first byte (h2c with prior
    /// knowledge), for clients on the same machine that ask for it (<c>KubernetesConnection.Http2PriorKnowledge</c>):
    /// their requests share a few connections as streams instead of taking one connection each, which costs less
    /// processor time per request. Kestrel cannot offer HTTP/1.1 and clear-text HTTP/2 on one port, and kubectl speaks
    /// HTTP/1.1 to an http:// address, so <see cref="Port"/> stays HTTP/1.1. Null (the default): no such port; 0 picks a
    /// free one (see <see cref="ApiServer.Http2Address"/>).
    /// </summary>
    public int? Http2Port { get; init; }

    /// <summary>Clock for timestamps, ages, bookmarks and watch timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How often a watch that asked for bookmarks gets one (the API server sends one about every minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of a watch that sets no <c>timeoutSeconds</c>.</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Changes a watcher may fall behind by (beyond its initial events) before the server ends its watch with
    /// 410 Expired, as the API server drops watchers that do not keep up.
    /// </summary>
    public int WatchBacklogLimit { get; init; } = 100_000;

    /// <summary>How long the pages of a list with <c>limit</c> stay available to <c>continue</c>.</summary>
    public TimeSpan ContinueTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Paged lists kept for continuation at once; the oldest is dropped (its token then gets 410).</summary>
    public int MaxPagedLists { get; init; } = 64;

    /// <summary>Faults to inject, for testing clients (null: none, the default).</summary>
    public Faults.ApiFaults? Faults { get; init; }

    /// <summary>The Kubernetes version reported at <c>/version</c>.</summary>
    public string KubernetesVersion { get; init; } = "v1.32.0";
}
