using System.Net;

namespace Kai.ApiServer.Webhooks;

/// <summary>Where and with which certificate the admission webhooks are served.</summary>
public sealed record WebhookServerOptions
{
    /// <summary>Listening address: any (0.0.0.0) in a pod, loopback on a workstation.</summary>
    public IPAddress Address { get; init; } = IPAddress.Any;

    /// <summary>KAI's webhook port; 0 picks a free one.</summary>
    public int Port { get; init; } = 9443;

    /// <summary>
    /// PEM certificate and key (the <c>tls.crt</c> and <c>tls.key</c> of the secret <c>kai-admission-webhook-tls-secret</c>);
    /// when not given, a self-signed certificate for <see cref="DnsNames"/> is made at start.
    /// </summary>
    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>Names the self-signed certificate is for: the webhook Service's DNS names.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = ["localhost", "kai-admission.kai-scheduler.svc", "kai-admission.kai-scheduler.svc.cluster.local"];

    /// <summary>The clock the self-signed certificate's validity starts from.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
