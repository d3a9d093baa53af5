using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Handlers;

internal sealed partial class ResourceHandler
{
    private async Task CreateAsync(ResourceRequest request)
    {
        var warnings = new List<string>();
        var obj = await DecodeBodyAsync(request, warnings).ConfigureAwait(false);
        var stored = Create(request, obj);
        Responses.AddWarnings(request.Http, warnings);
        await Responses.WriteJsonAsync(request.Http, 201, ObjectCodec.Encode(context, request.Resource, stored)).ConfigureAwait(false);
    }

    /// <summary>The request's object: in one pass when it is a well-formed built-in object, else through the JSON tree and the schema.</summary>
    private static async Task<IKubernetesObject<V1ObjectMeta>> DecodeBodyAsync(ResourceRequest request, List<string> warnings)
    {
        var bytes = await RequestBody.ReadBytesAsync(request.Request, request.Aborted).ConfigureAwait(false);
        var contentType = request.Request.ContentType;
        return DirectDecoder.TryDecode(request.Resource, bytes, contentType)
            ?? ObjectCodec.Decode(request.Resource, RequestBody.ParseObject(bytes, contentType), FieldValidationParameter.Of(request.Request), warnings, RequestBody.IsJson(bytes, contentType) ? bytes : null);
    }

    /// <summary>Admits and stores a new object (or, on a dry run, returns it as it would be stored).</summary>
    private IKubernetesObject<V1ObjectMeta> Create(ResourceRequest request, IKubernetesObject<V1ObjectMeta> obj)
    {
        var metadata = obj.Metadata;
        PlaceInNamespace(request, metadata);
        if (!string.IsNullOrEmpty(metadata.ResourceVersion))
        {
            throw ApiException.Internal("resourceVersion should not be set on objects to be created");
        }

        ValidateName(request, metadata);
        request.Resource.Admission?.Admit(context, obj, null);
        if (Query.DryRun(request.Request))
        {
            return obj;
        }

        IKubernetesObject<V1ObjectMeta> stored;
        try
        {
            stored = context.Cluster.Create(obj);
        }
        catch (ClusterException e)
        {
            throw FromStore(e, request, metadata.Name);
        }

        return AfterWrite(stored);
    }

    private async Task UpdateAsync(ResourceRequest request)
    {
        var warnings = new List<string>();
        var obj = await DecodeBodyAsync(request, warnings).ConfigureAwait(false);
        var stored = Update(request, obj);
        Responses.AddWarnings(request.Http, warnings);
        await Responses.WriteJsonAsync(request.Http, 200, ObjectCodec.Encode(context, request.Resource, stored)).ConfigureAwait(false);
    }

    /// <summary>Replaces the object (or its status, for the status subresource) under the object's resource-version precondition.</summary>
    private IKubernetesObject<V1ObjectMeta> Update(ResourceRequest request, IKubernetesObject<V1ObjectMeta> obj)
    {
        var metadata = obj.Metadata;
        if (string.IsNullOrEmpty(metadata.Name))
        {
            metadata.Name = request.Name;
        }
        else if (metadata.Name != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({metadata.Name}) does not match the name on the URL ({request.Name})");
        }

        PlaceInNamespace(request, metadata);
        var existing = context.Cluster.Get(request.Resource.Storage, request.StoreNamespace, request.Name!) ?? throw NotFound(request, request.Name);
        var statusOnly = request.Subresource == "status";
        if (!statusOnly)
        {
            request.Resource.Admission?.Admit(context, obj, existing);
        }

        if (Query.DryRun(request.Request))
        {
            return obj;
        }

        IKubernetesObject<V1ObjectMeta> stored;
        try
        {
            stored = statusOnly ? context.Cluster.ReplaceStatus(obj) : context.Cluster.Replace(obj);
        }
        catch (ClusterException e)
        {
            throw FromStore(e, request, request.Name);
        }

        return statusOnly ? stored : AfterWrite(stored);
    }

    // What the server does once a write is stored: a CustomResourceDefinition is established (served).
    private IKubernetesObject<V1ObjectMeta> AfterWrite(IKubernetesObject<V1ObjectMeta> stored) =>
        stored is V1CustomResourceDefinition crd && crd.Metadata.DeletionTimestamp is null
            ? CustomResourceDefinitions.Establish(context, crd)
            : stored;

    /// <summary>Puts a namespaced object in the request's namespace (which must exist and not be terminating).</summary>
    private void PlaceInNamespace(ResourceRequest request, V1ObjectMeta metadata)
    {
        if (!request.Resource.Namespaced)
        {
            metadata.NamespaceProperty = null;
            return;
        }

        if (string.IsNullOrEmpty(metadata.NamespaceProperty))
        {
            metadata.NamespaceProperty = request.Namespace;
        }
        else if (metadata.NamespaceProperty != request.Namespace)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var ns = context.Cluster.Get(context.Cluster.Kinds.Get<V1Namespace>(), null, request.Namespace!) as V1Namespace
            ?? throw ApiException.NotFound($"namespaces \"{request.Namespace}\" not found", new V1StatusDetails { Name = request.Namespace, Kind = "namespaces" });
        if (ns.Status?.Phase == "Terminating" || ns.Metadata.DeletionTimestamp is not null)
        {
            throw ApiException.Forbidden($"{request.Resource.QualifiedPlural} \"{metadata.Name}\" is forbidden: unable to create new content in namespace {request.Namespace} because it is being terminated");
        }
    }

    private static void ValidateName(ResourceRequest request, V1ObjectMeta metadata)
    {
        var name = metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            if (string.IsNullOrEmpty(metadata.GenerateName))
            {
                throw NameInvalid(request, name, "metadata.name", "Required value: name or generateName is required");
            }

            return;
        }

        var label = request.Resource.Plural == "namespaces";
        if (label ? name.Length > 63 || !DnsLabel().IsMatch(name) : name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            var rule = label
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
            throw NameInvalid(request, name, "metadata.name", $"Invalid value: \"{name}\": {rule}");
        }
    }

    private static ApiException NameInvalid(ResourceRequest request, string? name, string field, string message) =>
        ObjectCodec.Invalid(request.Resource, name, [new V1StatusCause { Reason = "FieldValueInvalid", Field = field, Message = message }]);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();
}
