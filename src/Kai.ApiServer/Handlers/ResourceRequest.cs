using Kai.ApiServer.Resources;

namespace Kai.ApiServer.Handlers;

/// <summary>A request on one resource: the resource, the namespace and name from the path, and the subresource.</summary>
internal sealed record ResourceRequest(HttpContext Http, ApiResource Resource, string? Namespace, string? Name, string? Subresource)
{
    public HttpRequest Request => Http.Request;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The namespace objects go to: the path's, "" for cluster-scoped resources.</summary>
    public string StoreNamespace => Resource.Namespaced ? Namespace ?? string.Empty : string.Empty;

    /// <summary>"pods \"default/p\"" style name for messages.</summary>
    public string Describe(string? name) => Resource.Namespaced && !string.IsNullOrEmpty(Namespace) ? $"{Namespace}/{name}" : name ?? string.Empty;
}
