namespace Kai.ApiServer;

/// <summary>Settings of an <see cref="ApiServer"/>.</summary>
public sealed record ApiServerOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (see <see cref="ApiServer.Address"/>).</summary>
    public int Port { get; init; }

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
