namespace Kai.ApiServer.Http;

/// <summary>What a request path names.</summary>
internal enum RouteKind
{
    NotFound,
    CoreVersions,
    GroupList,
    Group,
    ResourceList,
    Version,
    OpenApiV2,
    OpenApiV3Index,
    OpenApiV3Document,
    Health,
    Resource,
}

/// <summary>
/// A parsed request path: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c>,
/// <c>/apis/{group}/{version}/…</c> likewise, or one of the discovery, OpenAPI and health paths.
/// </summary>
internal sealed record Route(RouteKind Kind, string Group = "", string Version = "", string? Plural = null, string? Namespace = null, string? Name = null, string? Subresource = null)
{
    public static Route Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Contains('%', StringComparison.Ordinal))
            {
                segments[i] = Uri.UnescapeDataString(segments[i]);
            }
        }

        switch (segments)
        {
            case ["api"]:
                return new Route(RouteKind.CoreVersions);
            case ["apis"]:
                return new Route(RouteKind.GroupList);
            case ["apis", var group]:
                return new Route(RouteKind.Group, group);
            case ["version"]:
                return new Route(RouteKind.Version);
            case ["openapi", "v2"]:
                return new Route(RouteKind.OpenApiV2);
            case ["openapi", "v3"]:
                return new Route(RouteKind.OpenApiV3Index);
            case ["openapi", "v3", "api", var coreVersion]:
                return new Route(RouteKind.OpenApiV3Document, string.Empty, coreVersion);
            case ["openapi", "v3", "apis", var group, var version]:
                return new Route(RouteKind.OpenApiV3Document, group, version);
            case ["healthz" or "livez" or "readyz", ..]:
                return new Route(RouteKind.Health);
            case ["api", var version, ..]:
                return Resource(string.Empty, version, new ArraySegment<string>(segments, 2, segments.Length - 2));
            case ["apis", var group, var version, ..]:
                return Resource(group, version, new ArraySegment<string>(segments, 3, segments.Length - 3));
            default:
                return new Route(RouteKind.NotFound);
        }
    }

    // The segments after the version, without copying them.
    private static Route Resource(string group, string version, ArraySegment<string> rest)
    {
        // "namespaces/{name}" and "namespaces/{name}/status|finalize" address namespaces themselves.
        if (rest is ["namespaces", _, var third, ..] && !(rest.Count == 3 && third is "status" or "finalize"))
        {
            return rest.Count switch
            {
                3 => new Route(RouteKind.Resource, group, version, rest[2], rest[1]),
                4 => new Route(RouteKind.Resource, group, version, rest[2], rest[1], rest[3]),
                5 => new Route(RouteKind.Resource, group, version, rest[2], rest[1], rest[3], rest[4]),
                _ => new Route(RouteKind.NotFound),
            };
        }

        return rest.Count switch
        {
            0 => new Route(RouteKind.ResourceList, group, version),
            1 => new Route(RouteKind.Resource, group, version, rest[0]),
            2 => new Route(RouteKind.Resource, group, version, rest[0], null, rest[1]),
            3 => new Route(RouteKind.Resource, group, version, rest[0], null, rest[1], rest[2]),
            _ => new Route(RouteKind.NotFound),
        };
    }
}
