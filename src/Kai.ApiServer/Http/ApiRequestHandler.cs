using Kai.ApiServer.Discovery;
using Kai.ApiServer.Faults;
using Kai.ApiServer.Handlers;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Http;

/// <summary>
/// The one request handler: parses the path, answers discovery, OpenAPI, version and health itself and hands
/// resource requests to <see cref="ResourceHandler"/>; every failure becomes a Kubernetes Status body.
/// </summary>
internal sealed partial class ApiRequestHandler(ServerContext context, ILogger logger)
{
    private readonly ResourceHandler _resources = new(context);

    public async Task HandleAsync(HttpContext http)
    {
        if (context.Options.Faults is { } faults)
        {
            var fault = faults.Intercept(http.Request.Method, http.Request.Path.Value + http.Request.QueryString.Value, out var watchCut);
            http.Items[ApiFaults.WatchCutItem] = watchCut;
            if (fault is not null)
            {
                await AnswerFaultAsync(http, fault.Value).ConfigureAwait(false);
                return;
            }
        }

        try
        {
            if (!MediaTypes.AcceptsJson(http.Request.Headers.Accept) && !IsOpenApiV2(http))
            {
                throw ApiException.NotAcceptable($"only the following media types are accepted: application/json, application/yaml (asked for {http.Request.Headers.Accept})");
            }

            await DispatchAsync(http, Route.Parse(http.Request.Path.Value ?? "/")).ConfigureAwait(false);
        }
        catch (ApiException e) when (!http.Response.HasStarted)
        {
            await Responses.WriteErrorAsync(http, e).ConfigureAwait(false);
        }
        catch (ClusterException e) when (!http.Response.HasStarted)
        {
            await Responses.WriteErrorAsync(http, ApiException.From(e)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested || context.Stopping.IsCancellationRequested)
        {
            // The client went away or the server is stopping.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            LogFailure(logger, http.Request.Method, http.Request.Path.Value, e);
            await Responses.WriteErrorAsync(http, ApiException.Internal($"an internal error occurred: {e.Message}")).ConfigureAwait(false);
        }
    }

    private static async Task AnswerFaultAsync(HttpContext http, (int Code, string Reason) fault)
    {
        if (fault.Code == 0)
        {
            http.Abort();
        }
        else
        {
            await Responses.WriteErrorAsync(http, new ApiException(fault.Code, fault.Reason, $"injected fault: {fault.Code} {fault.Reason}")).ConfigureAwait(false);
        }
    }

    private Task DispatchAsync(HttpContext http, Route route)
    {
        var catalog = context.Catalog;
        var isGet = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (!isGet && route.Kind != RouteKind.Resource)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        switch (route.Kind)
        {
            case RouteKind.CoreVersions:
                return Responses.WriteObjectAsync(http, 200, DiscoveryDocuments.CoreVersions(http.Request.Host.Value ?? "127.0.0.1"));
            case RouteKind.GroupList:
                return Responses.WriteObjectAsync(http, 200, DiscoveryDocuments.Groups(catalog));
            case RouteKind.Group:
                return Responses.WriteObjectAsync(http, 200, DiscoveryDocuments.Group(catalog, route.Group) ?? throw ApiException.NoSuchResource());
            case RouteKind.ResourceList:
                return Responses.WriteObjectAsync(http, 200, DiscoveryDocuments.Resources(catalog, route.Group, route.Version) ?? throw ApiException.NoSuchResource());
            case RouteKind.Version:
                return Responses.WriteObjectAsync(http, 200, DiscoveryDocuments.Version(context.Options.KubernetesVersion));
            case RouteKind.OpenApiV3Index:
                return Responses.WriteJsonAsync(http, 200, KubeJson.Serialize(OpenApiDocuments.Index(catalog)));
            case RouteKind.OpenApiV3Document:
                return Responses.WriteJsonAsync(http, 200, KubeJson.Serialize(OpenApiDocuments.Document(catalog, route.Group, route.Version) ?? throw ApiException.NoSuchResource()));
            case RouteKind.Health:
                http.Response.ContentType = "text/plain";
                return http.Response.WriteAsync("ok", http.RequestAborted);
            case RouteKind.Resource:
                return DispatchResourceAsync(http, route);
            default:
                throw ApiException.NoSuchResource();
        }
    }

    private Task DispatchResourceAsync(HttpContext http, Route route)
    {
        // POST /api/v1/namespaces/{ns}/bindings binds the pod named in the body, like pods/{name}/binding.
        if (route is { Group: "", Version: "v1", Plural: "bindings", Name: null, Namespace: not null } && HttpMethods.IsPost(http.Request.Method))
        {
            var pods = context.Catalog.Find(string.Empty, "v1", "pods") ?? throw ApiException.NoSuchResource();
            context.Requests.Count(http.Request, "pods", "binding");
            return _resources.BindAsync(new ResourceRequest(http, pods, route.Namespace, null, "binding"));
        }

        var resource = context.Catalog.Find(route.Group, route.Version, route.Plural!) ?? throw ApiException.NoSuchResource();
        if (!resource.Namespaced && route.Namespace is not null)
        {
            throw ApiException.NoSuchResource();
        }

        context.Requests.Count(http.Request, resource.Plural, route.Subresource);
        return _resources.HandleAsync(new ResourceRequest(http, resource, route.Namespace, route.Name, route.Subresource));
    }

    // kubectl asks for the v2 document in protobuf only; it gets a 404 as from a server without one.
    private static bool IsOpenApiV2(HttpContext http) => http.Request.Path.StartsWithSegments("/openapi/v2");

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string? path, Exception exception);

}
