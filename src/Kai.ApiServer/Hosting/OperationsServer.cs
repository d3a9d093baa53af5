using System.Net;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Kai.ApiServer.Hosting;

/// <summary>
/// What a running component serves for operators and Kubernetes: <c>/healthz</c> (liveness), <c>/readyz</c>
/// (readiness) and Prometheus <c>/metrics</c>, exported by OpenTelemetry from every meter named <c>Kai.*</c>
/// (<c>Kai.Scheduler</c>, <c>Kai.Binder</c>, …). Instruments are exported under their own names, which follow KAI's
/// (<c>kai_…</c>): no unit or <c>_total</c> suffix is added, and no scope label or target_info series.
/// </summary>
public sealed class OperationsServer : IAsyncDisposable
{
    /// <summary>The meters exported: every meter whose name starts with <c>Kai.</c>.</summary>
    public const string MeterPattern = "Kai.*";

    private readonly WebApplication _app;

    private OperationsServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address listened on, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public Uri Address { get; }

    /// <param name="address">Where to listen: loopback for local use, <see cref="IPAddress.Any"/> in a pod.</param>
    /// <param name="port">TCP port; 0 picks a free one.</param>
    /// <param name="healthy">Liveness: false makes <c>/healthz</c> answer 500.</param>
    /// <param name="ready">Readiness: false makes <c>/readyz</c> answer 503.</param>
    public static async Task<OperationsServer> StartAsync(IPAddress address, int port, Func<bool> healthy, Func<bool> ready, ILoggerProvider? logging = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            builder.Logging.AddProvider(logging);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterPattern)
            .AddPrometheusExporter(ConfigureExporter));
        var app = builder.Build();
        app.MapGet("/healthz", () => healthy() ? Results.Text("ok") : Results.Text("unhealthy", statusCode: 500));
        app.MapGet("/readyz", () => ready() ? Results.Text("ok") : Results.Text("not ready", statusCode: 503));
        app.MapPrometheusScrapingEndpoint("/metrics");
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OperationsServer(app, new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void ConfigureExporter(PrometheusAspNetCoreOptions options)
    {
        options.ScrapeEndpointPath = "/metrics";
        options.ScopeInfoEnabled = false;
        options.TargetInfoEnabled = false;
        options.DisableTotalNameSuffixForCounters = true;
        options.TranslationStrategy = PrometheusAspNetCoreTranslationStrategy.UnderscoreEscapingWithoutSuffixes;

        // Scrapes are rare (every 15–30 s); an uncached answer shows the latest values.
        options.ScrapeResponseCacheDurationMilliseconds = 0;
    }
}
