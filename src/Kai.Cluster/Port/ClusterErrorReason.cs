namespace Kai.Cluster.Port;

/// <summary>Expected failures of cluster writes, mirroring Kubernetes <c>Status.reason</c> values.</summary>
public enum ClusterErrorReason
{
    /// <summary>HTTP 404: the object (or namespace/name) does not exist.</summary>
    NotFound,

    /// <summary>HTTP 409: create of a name that already exists.</summary>
    AlreadyExists,

    /// <summary>HTTP 409: stale <c>metadata.resourceVersion</c> or uid precondition, or an already-bound pod.</summary>
    Conflict,

    /// <summary>HTTP 422: the object is malformed (no name, no status subresource, bad resource version, …).</summary>
    Invalid,

    /// <summary>HTTP 410: a change feed asked for history that is no longer retained, or fell behind.</summary>
    Expired,

    /// <summary>HTTP 429: an eviction a PodDisruptionBudget does not allow now (try again later).</summary>
    TooManyRequests,

    /// <summary>HTTP 500: the server could not do what was asked (e.g. a pod selected by two disruption budgets).</summary>
    InternalError,

    /// <summary>HTTP 401 or 403: the credentials may not do this (RBAC).</summary>
    Forbidden,

    /// <summary>The cluster could not be reached or answered with an unexpected error (5xx, a broken connection); retry later.</summary>
    Unavailable,
}
