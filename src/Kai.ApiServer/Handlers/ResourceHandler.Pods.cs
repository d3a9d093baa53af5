using k8s.Models;
using Kai.ApiServer.Http;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Handlers;

internal sealed partial class ResourceHandler
{
    /// <summary>POST <c>pods/{name}/binding</c> (or <c>bindings</c> with the pod named in the body): sets the pod's node; 201 with a Status.</summary>
    public async Task BindAsync(ResourceRequest request)
    {
        var bytes = await RequestBody.ReadBytesAsync(request.Request, request.Aborted).ConfigureAwait(false);
        var binding = DirectDecoder.TryRead<V1Binding>(bytes, request.Request.ContentType) ?? ReadBinding(bytes, request.Request.ContentType);

        var podName = request.Name ?? binding.Metadata?.Name;
        if (string.IsNullOrEmpty(podName))
        {
            throw ApiException.BadRequest("a binding must name the pod (metadata.name)");
        }

        if (request.Name is not null && binding.Metadata?.Name is { Length: > 0 } named && named != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({named}) does not match the name on the URL ({request.Name})");
        }

        if (binding.Target is not { Name.Length: > 0 } target || target.Kind is not (null or "" or "Node"))
        {
            throw ApiException.Invalid("Binding is invalid: target: must name a Node (target.kind Node, target.name the node)");
        }

        var pods = request with { Name = podName, Subresource = "binding" };
        if (context.Cluster.Get(request.Resource.Storage, request.Namespace, podName) is null)
        {
            throw NotFound(pods, podName);
        }

        try
        {
            await context.Cluster.BindPodAsync(request.Namespace!, podName, target.Name, binding.Metadata?.Annotations?.AsReadOnly(), request.Aborted).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            throw FromStore(e, pods, podName);
        }

        await Responses.WriteSuccessAsync(request.Http, 201).ConfigureAwait(false);
    }

    /// <summary>A Binding through the JSON tree: YAML, or JSON the one-pass reader declined (its error is this one's).</summary>
    private static V1Binding ReadBinding(byte[] bytes, string? contentType)
    {
        var body = RequestBody.ParseObject(bytes, contentType);
        body.Remove("apiVersion");
        body.Remove("kind");
        try
        {
            return KubeJson.Deserialize<V1Binding>(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"Binding in version \"v1\" cannot be handled as a Binding: {e.Message}");
        }
    }

    /// <summary>
    /// POST <c>pods/{name}/eviction</c> (policy/v1): deletes the pod unless its PodDisruptionBudget forbids it
    /// (429, cause DisruptionBudget). The budget's allowance is computed from the pods it selects, as the
    /// disruption controller would, and recorded in its status with the pod among disruptedPods.
    /// </summary>
    private async Task EvictAsync(ResourceRequest request)
    {
        var body = RequestBody.ParseObject(await RequestBody.ReadBytesAsync(request.Request, request.Aborted).ConfigureAwait(false), request.Request.ContentType);
        body.Remove("apiVersion");
        body.Remove("kind");
        V1Eviction eviction;
        try
        {
            eviction = KubeJson.Deserialize<V1Eviction>(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"Eviction in version \"v1\" cannot be handled as a Eviction: {e.Message}");
        }

        var name = request.Name!;
        if (eviction.Metadata?.Name is { Length: > 0 } named && named != name)
        {
            throw ApiException.BadRequest($"name in URL does not match name in Eviction object");
        }

        var options = eviction.DeleteOptions ?? new V1DeleteOptions();
        if (Query.DryRun(request.Request))
        {
            _ = context.Cluster.Get(request.Resource.Storage, request.Namespace, name) ?? throw NotFound(request with { Subresource = null }, name);
            await Responses.WriteSuccessAsync(request.Http, 201).ConfigureAwait(false);
            return;
        }

        // An already terminating pod is answered 200, as the API server does; the eviction is then a no-op.
        var terminating = context.Cluster.Get(request.Resource.Storage, request.Namespace, name)?.Metadata.DeletionTimestamp is not null;
        try
        {
            // The budget check, its status and the delete are one store operation (shared with ICluster.EvictPodAsync).
            var preconditions = new DeletePreconditions(options.Preconditions?.Uid, options.Preconditions?.ResourceVersion);
            context.Cluster.EvictPod(request.Namespace, name, options.GracePeriodSeconds, preconditions);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.TooManyRequests)
        {
            throw ApiException.TooManyRequests(
                "Cannot evict pod as it would violate the pod's disruption budget.",
                new V1StatusDetails { Causes = [new V1StatusCause { Reason = "DisruptionBudget", Message = e.Message }] });
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.InternalError)
        {
            throw ApiException.Internal(e.Message);
        }
        catch (ClusterException e)
        {
            throw FromStore(e, request with { Subresource = null }, name);
        }

        await Responses.WriteSuccessAsync(request.Http, terminating ? 200 : 201).ConfigureAwait(false);
    }
}
