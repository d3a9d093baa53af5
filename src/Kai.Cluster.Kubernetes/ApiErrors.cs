using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

/// <summary>Turns what KubernetesClient throws into the port's <see cref="ClusterException"/> reasons.</summary>
internal static class ApiErrors
{
    /// <summary>
    /// True for failures of the conversation with the server rather than answers from it: a refused or reset
    /// connection, a request that timed out (not cancelled by the caller), a body cut short.
    /// </summary>
    public static bool IsTransport(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException
        || (e is TaskCanceledException or OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The port's exception for <paramref name="e"/>, or null when it is neither an answer nor a transport failure (a bug).</summary>
    public static ClusterException? Translate(Exception e, CancellationToken cancellationToken)
    {
        if (e is HttpOperationException http)
        {
            var status = StatusOf(http);
            var message = status?.Message is { Length: > 0 } text ? text : $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}";
            return new ClusterException(ReasonFor(http.Response.StatusCode, status?.Reason), message);
        }

        if (e is KubernetesException { Status: { } inStream })
        {
            return new ClusterException(ReasonFor((HttpStatusCode)(inStream.Code ?? 500), inStream.Reason), inStream.Message ?? "watch error");
        }

        return IsTransport(e, cancellationToken)
            ? new ClusterException(ClusterErrorReason.Unavailable, $"the API server could not be reached: {e.Message}")
            : null;
    }

    /// <summary>The HTTP status code of an answer, or null for a transport failure.</summary>
    public static int? StatusCodeOf(Exception e) => e switch
    {
        HttpOperationException http => (int)http.Response.StatusCode,
        KubernetesException { Status.Code: { } code } => code,
        _ => null,
    };

    public static ClusterErrorReason ReasonFor(HttpStatusCode code, string? statusReason) => (int)code switch
    {
        404 => ClusterErrorReason.NotFound,
        409 when statusReason == "AlreadyExists" => ClusterErrorReason.AlreadyExists,
        409 => ClusterErrorReason.Conflict,
        410 => ClusterErrorReason.Expired,
        401 or 403 => ClusterErrorReason.Forbidden,
        429 => ClusterErrorReason.TooManyRequests,
        500 => ClusterErrorReason.InternalError,
        >= 500 => ClusterErrorReason.Unavailable,
        _ => ClusterErrorReason.Invalid,
    };

    private static V1Status? StatusOf(HttpOperationException e)
    {
        var content = e.Response.Content;
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<V1Status>(content);
        }
        catch (System.Text.Json.JsonException)
        {
            return new V1Status { Message = content.Length > 200 ? content[..200] : content };
        }
    }
}
