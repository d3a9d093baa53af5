using System.Net;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;
using Kai.Cluster.Embedded;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kai.ApiServer;

/// <summary>
/// An <see cref="EmbeddedCluster"/> served as a Kubernetes API server over HTTP on 127.0.0.1: discovery, OpenAPI v3,
/// the built-in resources scheduler components and kubectl use, and KAI's custom resources from their
/// CustomResourceDefinitions (plus any definition applied later). KubernetesClient and kubectl work against it
/// as against a real API server; see docs/serve.md for what is and is not served.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    /// <summary>Namespaces every cluster has.</summary>
    public static readonly IReadOnlyList<string> SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private ApiServer(WebApplication app, CancellationTokenSource stopping, EmbeddedCluster cluster, Uri address, Uri? http2Address, ApiServerOptions options, RequestTally requests)
    {
        Http2Address = http2Address;
        Options = options;
        Requests = requests;
        _app = app;
        _stopping = stopping;
        Cluster = cluster;
        Address = address;
    }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public Uri Address { get; }

    /// <summary>The HTTP/2-only (h2c prior knowledge) address when <see cref="ApiServerOptions.Http2Port"/> is set, else null.</summary>
    public Uri? Http2Address { get; }

    public EmbeddedCluster Cluster { get; }

    /// <summary>The settings the server runs with (including its fault injector, if any).</summary>
    public ApiServerOptions Options { get; }

    /// <summary>The resource requests answered so far, by verb and resource.</summary>
    public RequestTally Requests { get; }

    /// <summary>
    /// Starts serving <paramref name="cluster"/>. Before listening it creates the system namespaces and any
    /// namespace an existing object lives in, installs KAI's CustomResourceDefinitions and turns on
    /// <see cref="EmbeddedCluster.RecordPreviousVersions"/> (watches with selectors need the previous versions).
    /// </summary>
    public static async Task<ApiServer> StartAsync(
        EmbeddedCluster cluster,
        ApiServerOptions? options = null,
        ILoggerProvider? logging = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new ApiServerOptions();
        cluster.RecordPreviousVersions = true;
        var stopping = new CancellationTokenSource();
        var context = new ServerContext(cluster, options, stopping.Token);
        context.Catalog.SetBuiltIns(BuiltInResources.Create(cluster.Kinds));
        CustomResourceDefinitions.InstallAll(context, CustomResourceDefinitions.Embedded());
        CreateNamespaces(cluster, context);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            // Kestrel's per-request lines are noise on kai serve's console; its warnings and errors are not.
            builder.Logging.AddProvider(logging);
            builder.Logging.AddFilter("Microsoft", Microsoft.Extensions.Logging.LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", Microsoft.Extensions.Logging.LogLevel.None); // start failures are the caller's to report
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            if (options.Http2Port is { } http2Port)
            {
                kestrel.Listen(IPAddress.Loopback, http2Port, listen => listen.Protocols = HttpProtocols.Http2);
            }

            kestrel.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
            kestrel.AddServerHeader = false;
        });
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Hosting.NoSignalsLifetime>();
        var app = builder.Build();
        var logger = logging?.CreateLogger("Kai.ApiServer") ?? NullLogger.Instance;
        var handler = new ApiRequestHandler(context, logger);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }

        // Kestrel lists its addresses in the order of the Listen calls: the HTTP/1.1 port first.
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal))).ToList();
        var http2Address = options.Http2Port is null ? null : addresses[1];
        return new ApiServer(app, stopping, cluster, addresses[0], http2Address, options, context.Requests);
    }

    /// <summary>Ends open watches and stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static void CreateNamespaces(EmbeddedCluster cluster, ServerContext context)
    {
        var kind = cluster.Kinds.Get<V1Namespace>();
        var needed = new List<string>(SystemNamespaces);
        foreach (var resource in context.Catalog.All.Where(r => r.Namespaced).Select(r => r.Storage).Distinct())
        {
            needed.AddRange(cluster.List(resource).Items.Select(o => o.Metadata.NamespaceProperty).OfType<string>());
        }

        foreach (var name in needed.Distinct(StringComparer.Ordinal))
        {
            if (cluster.Get(kind, null, name) is null)
            {
                cluster.Create(new V1Namespace
                {
                    ApiVersion = "v1",
                    Kind = "Namespace",
                    Metadata = new V1ObjectMeta { Name = name },
                    Spec = new V1NamespaceSpec { Finalizers = ["kubernetes"] },
                    Status = new V1NamespaceStatus { Phase = "Active" },
                });
            }
        }
    }

}
