using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Http;

/// <summary>
/// A request that fails with a Kubernetes <c>Status</c>: HTTP code, <c>reason</c>, message and optional details.
/// Handlers throw it; the dispatcher writes it as the response body.
/// </summary>
internal sealed class ApiException : Exception
{
    public ApiException()
        : this(500, "InternalError", "Internal error.")
    {
    }

    public ApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public ApiException(int code, string reason, string message, V1StatusDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public V1StatusDetails? Details { get; }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Forbidden(string message, V1StatusDetails? details = null) => new(403, "Forbidden", message, details);

    public static ApiException NotFound(string message, V1StatusDetails? details = null) => new(404, "NotFound", message, details);

    /// <summary>The answer for a path that names no resource the server has.</summary>
    public static ApiException NoSuchResource() => new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException NotAcceptable(string message) => new(406, "NotAcceptable", message);

    public static ApiException Conflict(string message, V1StatusDetails? details = null) => new(409, "Conflict", message, details);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    public static ApiException Invalid(string message, V1StatusDetails? details = null) => new(422, "Invalid", message, details);

    public static ApiException TooManyRequests(string message, V1StatusDetails? details = null) => new(429, "TooManyRequests", message, details);

    public static ApiException Internal(string message) => new(500, "InternalError", message);

    /// <summary>The Kubernetes answer for an expected store failure, with details naming the object when known.</summary>
    public static ApiException From(ClusterException e, string? group = null, string? plural = null, string? name = null)
    {
        var details = plural is null && name is null ? null : new V1StatusDetails { Group = NullIfEmpty(group), Kind = plural, Name = name };
        return e.Reason switch
        {
            ClusterErrorReason.NotFound => new ApiException(404, "NotFound", e.Message, details),
            ClusterErrorReason.AlreadyExists => new ApiException(409, "AlreadyExists", e.Message, details),
            ClusterErrorReason.Conflict => new ApiException(409, "Conflict", e.Message, details),
            ClusterErrorReason.Expired => new ApiException(410, "Expired", e.Message),
            ClusterErrorReason.Forbidden => new ApiException(403, "Forbidden", e.Message, details),
            ClusterErrorReason.TooManyRequests => new ApiException(429, "TooManyRequests", e.Message, details),
            ClusterErrorReason.InternalError => new ApiException(500, "InternalError", e.Message, details),
            ClusterErrorReason.Unavailable => new ApiException(503, "ServiceUnavailable", e.Message, details),
            _ => new ApiException(422, "Invalid", e.Message, details),
        };
    }

    public V1Status ToStatus() => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Message = Message,
        Reason = Reason,
        Details = Details,
        Code = Code,
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
