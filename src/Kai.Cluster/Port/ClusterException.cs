namespace Kai.Cluster.Port;

/// <summary>
/// An expected failure of a cluster operation (see <see cref="ClusterErrorReason"/>). Callers at the edge
/// filter on <see cref="Reason"/>: <c>catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict)</c>.
/// </summary>
public sealed class ClusterException : Exception
{
    public ClusterException()
        : this(ClusterErrorReason.Invalid, "Cluster operation failed.")
    {
    }

    public ClusterException(string message)
        : this(ClusterErrorReason.Invalid, message)
    {
    }

    public ClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = ClusterErrorReason.Invalid;
    }

    public ClusterException(ClusterErrorReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public ClusterErrorReason Reason { get; }

    /// <summary>The HTTP status code Kubernetes answers with for <see cref="Reason"/>.</summary>
    public int StatusCode => Reason switch
    {
        ClusterErrorReason.NotFound => 404,
        ClusterErrorReason.AlreadyExists or ClusterErrorReason.Conflict => 409,
        ClusterErrorReason.Expired => 410,
        ClusterErrorReason.TooManyRequests => 429,
        ClusterErrorReason.Forbidden => 403,
        ClusterErrorReason.InternalError => 500,
        ClusterErrorReason.Unavailable => 503,
        _ => 422,
    };

    internal static ClusterException NotFound(KindInfo kind, string? ns, string name) =>
        new(ClusterErrorReason.NotFound, $"{kind.Plural} \"{Qualified(ns, name)}\" not found");

    internal static ClusterException AlreadyExists(KindInfo kind, string? ns, string name) =>
        new(ClusterErrorReason.AlreadyExists, $"{kind.Plural} \"{Qualified(ns, name)}\" already exists");

    internal static ClusterException Conflict(KindInfo kind, string? ns, string name, string why) =>
        new(ClusterErrorReason.Conflict, $"Operation cannot be fulfilled on {kind.Plural} \"{Qualified(ns, name)}\": {why}");

    internal static ClusterException Invalid(string message) => new(ClusterErrorReason.Invalid, message);

    private static string Qualified(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;
}
