using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Kai.Controllers.Admission;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kai.ApiServer.Webhooks;

/// <summary>
/// KAI's admission webhooks served over HTTPS (Kestrel): POST an AdmissionReview to one of the
/// <see cref="AdmissionReviewHandler"/> paths. The API server calls it as the webhook configurations
/// <c>mutating-kai-admission</c> and <c>validating-kai-admission</c> direct.
/// </summary>
public sealed class AdmissionWebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdmissionWebhookServer(WebApplication app, Uri address, X509Certificate2 certificate)
    {
        _app = app;
        Address = address;
        Certificate = certificate;
    }

    /// <summary>The https address it listens on.</summary>
    public Uri Address { get; }

    /// <summary>The serving certificate (for a webhook configuration's caBundle when self-signed).</summary>
    public X509Certificate2 Certificate { get; }

    /// <exception cref="IOException">The certificate files cannot be read or the port is taken.</exception>
    public static async Task<AdmissionWebhookServer> StartAsync(AdmissionReviewHandler handler, WebhookServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        var certificate = options.CertificateFile is { } certificateFile
            ? X509Certificate2.CreateFromPemFile(certificateFile, options.KeyFile ?? throw new IOException("a webhook certificate needs its key file too"))
            : SelfSigned(options.DnsNames, options.Time.GetUtcNow());

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port, listen => listen.UseHttps(certificate));
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Hosting.NoSignalsLifetime>();
        var app = builder.Build();
        app.Run(context => ServeAsync(handler, context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdmissionWebhookServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate.Dispose();
    }

    private static async Task ServeAsync(AdmissionReviewHandler handler, HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        JsonObject answer;
        try
        {
            var review = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false)
                ?? throw new ArgumentException("the body is empty; post an AdmissionReview");
            answer = await handler.ReviewAsync(context.Request.Path.Value ?? string.Empty, review, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(e.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static X509Certificate2 SelfSigned(IReadOnlyList<string> dnsNames, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(dnsNames.Count > 0 ? dnsNames[0] : "localhost")}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // Kestrel needs the key in an exportable form it can load on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
