using k8s;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Handlers;

internal sealed partial class ResourceHandler
{
    private static readonly HashSet<string> UndeletableNamespaces = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    private async Task DeleteAsync(ResourceRequest request)
    {
        var options = await DeleteOptionsOf(request).ConfigureAwait(false);
        var stored = Delete(request, request.Name!, options);
        await Responses.WriteJsonAsync(request.Http, 200, ObjectCodec.Encode(context, request.Resource, stored)).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(ResourceRequest request)
    {
        var options = await DeleteOptionsOf(request).ConfigureAwait(false);
        var (items, _) = Select(request);
        var deleted = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var obj in items)
        {
            try
            {
                deleted.Add(Delete(request with { Namespace = obj.Metadata.NamespaceProperty ?? request.Namespace }, obj.Metadata.Name, options with { Preconditions = null }));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Gone meanwhile (garbage-collected with an owner deleted earlier in this loop).
            }
        }

        await WriteListAsync(request, deleted, context.Cluster.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), null, 0).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes one object with the request's grace period and preconditions; pods on a node terminate gracefully,
    /// objects with finalizers wait for them. Namespaces take their contents with them; a CustomResourceDefinition
    /// takes its resources and objects.
    /// </summary>
    private IKubernetesObject<V1ObjectMeta> Delete(ResourceRequest request, string name, V1DeleteOptions options)
    {
        var resource = request.Resource;
        var existing = context.Cluster.Get(resource.Storage, request.StoreNamespace, name) ?? throw NotFound(request, name);
        if (Query.DryRun(request.Request))
        {
            return existing;
        }

        if (existing is V1Namespace)
        {
            if (UndeletableNamespaces.Contains(name))
            {
                throw ApiException.Forbidden($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", new V1StatusDetails { Name = name, Kind = "namespaces" });
            }

            DeleteNamespaceContents(name);
        }

        DeleteResult<IKubernetesObject<V1ObjectMeta>> result;
        try
        {
            var preconditions = new DeletePreconditions(options.Preconditions?.Uid, options.Preconditions?.ResourceVersion);
            result = context.Cluster.Delete(resource.Storage, request.StoreNamespace, name, options.GracePeriodSeconds, preconditions);
        }
        catch (ClusterException e)
        {
            throw FromStore(e, request, name);
        }

        if (result.Removed && result.Object is V1CustomResourceDefinition crd)
        {
            CustomResourceDefinitions.Remove(context, crd);
        }

        return result.Object;
    }

    // The namespace controller's work, done at once: everything in the namespace goes before the namespace does.
    private void DeleteNamespaceContents(string ns)
    {
        foreach (var storage in context.Catalog.All.Where(r => r.Namespaced).Select(r => r.Storage).Distinct())
        {
            foreach (var obj in context.Cluster.List(storage).Items.Where(o => o.Metadata.NamespaceProperty == ns))
            {
                try
                {
                    context.Cluster.Delete(storage, ns, obj.Metadata.Name, gracePeriodSeconds: 0);
                }
                catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
                {
                    // Collected with its owner meanwhile.
                }
            }
        }
    }

    /// <summary>DeleteOptions from the body (kubectl sends one) and the query (gracePeriodSeconds, propagationPolicy).</summary>
    private static async Task<V1DeleteOptions> DeleteOptionsOf(ResourceRequest request)
    {
        var bytes = await RequestBody.ReadBytesAsync(request.Request, request.Aborted).ConfigureAwait(false);
        var options = new V1DeleteOptions();
        if (bytes.Length > 0 && bytes.Any(b => !char.IsWhiteSpace((char)b)))
        {
            var body = RequestBody.ParseObject(bytes, request.Request.ContentType);
            body.Remove("apiVersion");
            body.Remove("kind");
            try
            {
                options = KubeJson.Deserialize<V1DeleteOptions>(body);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw ApiException.BadRequest($"invalid DeleteOptions: {e.Message}");
            }
        }

        if (Query.Integer(request.Request, "gracePeriodSeconds") is { } grace)
        {
            options.GracePeriodSeconds = grace;
        }

        if (options.GracePeriodSeconds < 0)
        {
            // A negative grace period means "immediately but not forced": the API server uses 1 second.
            options.GracePeriodSeconds = 1;
        }

        var policy = Query.Text(request.Request, "propagationPolicy") ?? options.PropagationPolicy;
        if (policy is not (null or "" or "Background" or "Foreground" or "Orphan"))
        {
            throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        return options;
    }

}
