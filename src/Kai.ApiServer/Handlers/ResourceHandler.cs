using Kai.ApiServer.Http;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Handlers;

/// <summary>
/// Serves the REST verbs of a resource: get, list, watch, create, update, patch, delete, deletecollection, the
/// status subresource and, for pods, binding and eviction. One instance per server; stateless between requests.
/// </summary>
internal sealed partial class ResourceHandler(ServerContext context)
{
    public Task HandleAsync(ResourceRequest request)
    {
        var method = request.Request.Method;
        var sub = request.Subresource;
        if (sub is not null && !SubresourceExists(request, sub))
        {
            throw ApiException.NoSuchResource();
        }

        if (request.Resource.Namespaced && request.Namespace is null && (request.Name is not null || !HttpMethodsEqual(method, "GET")))
        {
            throw ApiException.NoSuchResource();
        }

        return (method.ToUpperInvariant(), request.Name, sub) switch
        {
            ("GET", null, _) when Query.Flag(request.Request, "watch") => new Watch.WatchHandler(context).ServeAsync(request),
            ("GET", null, _) => ListAsync(request),
            ("GET", not null, null or "status") => GetAsync(request),
            ("POST", null, null) => CreateAsync(request),
            ("POST", not null, "binding") => BindAsync(request),
            ("POST", not null, "eviction") => EvictAsync(request),
            ("PUT", not null, null or "status") => UpdateAsync(request),
            ("PATCH", not null, null or "status") => PatchAsync(request),
            ("DELETE", not null, null) => DeleteAsync(request),
            ("DELETE", null, null) => DeleteCollectionAsync(request),
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource"),
        };
    }

    private static bool SubresourceExists(ResourceRequest request, string sub) => sub switch
    {
        "status" => request.Resource.HasStatus,
        "binding" or "eviction" => request.Resource.HasPodSubresources,
        _ => false,
    };

    private static bool HttpMethodsEqual(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static ApiException NotFound(ResourceRequest request, string? name) =>
        ApiException.NotFound(
            $"{request.Resource.QualifiedPlural} \"{name}\" not found",
            new k8s.Models.V1StatusDetails { Name = name, Group = Nullable(request.Resource.Group), Kind = request.Resource.Plural });

    // The store names objects "namespace/name" and resources by plural; the API server says "name" and, for
    // custom resources, "plural.group".
    private static ApiException FromStore(ClusterException e, ResourceRequest request, string? name)
    {
        var resource = request.Resource;
        var message = e.Message;
        if (name is not null)
        {
            var stored = string.IsNullOrEmpty(request.Namespace) || !resource.Namespaced ? name : request.Namespace + "/" + name;
            message = message.Replace($"{resource.Storage.Plural} \"{stored}\"", $"{resource.QualifiedPlural} \"{name}\"", StringComparison.Ordinal);
        }

        return ApiException.From(new ClusterException(e.Reason, message), resource.Group, resource.Plural, name);
    }

    private static string? Nullable(string text) => text.Length == 0 ? null : text;
}
