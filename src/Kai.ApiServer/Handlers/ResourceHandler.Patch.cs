using System.Text.Json.Nodes;
using Kai.ApiServer.Http;
using Kai.ApiServer.Patching;

namespace Kai.ApiServer.Handlers;

internal sealed partial class ResourceHandler
{
    private const int PatchAttempts = 8;

    /// <summary>
    /// PATCH with JSON patch, merge patch, strategic merge patch (built-in kinds) or server-side apply. The patch is
    /// applied to the current object and stored under its resource version; when another write wins meanwhile the
    /// patch is applied again to the newer object, as the API server does, unless the patch itself names a
    /// resource version (then the conflict is the caller's).
    /// </summary>
    private async Task PatchAsync(ResourceRequest request)
    {
        var kind = PatchKindOf(request);
        var bytes = await RequestBody.ReadBytesAsync(request.Request, request.Aborted).ConfigureAwait(false);
        var patch = RequestBody.Parse(bytes, kind == PatchKind.Apply ? MediaTypes.ApplyPatchYaml : MediaTypes.Json);
        if (kind == PatchKind.Apply && string.IsNullOrEmpty(Query.Text(request.Request, "fieldManager")))
        {
            throw ApiException.BadRequest("PATCH, application/apply-patch+yaml requires fieldManager parameter");
        }

        var validation = FieldValidationParameter.Of(request.Request);
        for (var attempt = 1; !await TryPatchAsync(request, kind, patch, validation, attempt).ConfigureAwait(false); attempt++)
        {
            // Another write landed between read and write: patch the newer object.
        }
    }

    private static PatchKind PatchKindOf(ResourceRequest request)
    {
        var resource = request.Resource;
        return MediaTypes.Essence(request.Request.ContentType) switch
        {
            MediaTypes.JsonPatch => PatchKind.Json,
            MediaTypes.MergePatch => PatchKind.Merge,
            MediaTypes.StrategicMergePatch when !resource.IsCustom => PatchKind.Strategic,
            MediaTypes.ApplyPatchYaml => PatchKind.Apply,
            _ => throw ApiException.UnsupportedMediaType(
                $"the body of the request was in an unknown format - accepted media types include: {MediaTypes.JsonPatch}, {MediaTypes.MergePatch}, {MediaTypes.ApplyPatchYaml}"
                + (resource.IsCustom ? string.Empty : ", " + MediaTypes.StrategicMergePatch)),
        };
    }

    /// <summary>
    /// One read-patch-write round; false when another write won meanwhile and the patch should be applied again.
    /// Server-side apply of an object that does not exist creates it.
    /// </summary>
    private async Task<bool> TryPatchAsync(ResourceRequest request, PatchKind kind, JsonNode patch, FieldValidation validation, int attempt)
    {
        var resource = request.Resource;
        var warnings = new List<string>();
        var existing = context.Cluster.Get(resource.Storage, request.StoreNamespace, request.Name!);
        if (existing is null)
        {
            if (kind != PatchKind.Apply || request.Subresource is not null)
            {
                throw NotFound(request, request.Name);
            }

            var created = Create(request, ObjectCodec.Decode(resource, AppliedObject(request, patch), validation, warnings));
            Responses.AddWarnings(request.Http, warnings);
            await Responses.WriteJsonAsync(request.Http, 201, ObjectCodec.Encode(context, resource, created)).ConfigureAwait(false);
            return true;
        }

        var patched = ApplyPatch(kind, ObjectCodec.ToJson(resource, existing), patch, request);
        var callerVersion = KeepVersionAndName(patched, existing.Metadata.ResourceVersion, request);
        var obj = ObjectCodec.Decode(resource, patched, validation, warnings);
        try
        {
            var stored = Update(request, obj);
            Responses.AddWarnings(request.Http, warnings);
            await Responses.WriteJsonAsync(request.Http, 200, ObjectCodec.Encode(context, resource, stored)).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.Code == 409 && e.Reason == "Conflict" && !callerVersion && attempt < PatchAttempts)
        {
            return false;
        }
    }

    /// <summary>
    /// The patched object is stored under the live resource version unless the patch names another one (then a
    /// conflict is the caller's, and this returns true); its name must stay the URL's.
    /// </summary>
    private static bool KeepVersionAndName(JsonObject patched, string? liveVersion, ResourceRequest request)
    {
        var metadata = patched["metadata"] as JsonObject ?? throw ApiException.BadRequest("the patched object has no metadata");
        var requestedVersion = metadata["resourceVersion"]?.GetValue<string>();
        var callerVersion = requestedVersion is not null && requestedVersion != liveVersion;
        metadata["resourceVersion"] = callerVersion ? requestedVersion : liveVersion;
        if (metadata["name"]?.GetValue<string>() != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({metadata["name"]}) does not match the name on the URL ({request.Name})");
        }

        return callerVersion;
    }

    private static JsonObject ApplyPatch(PatchKind kind, JsonObject current, JsonNode patch, ResourceRequest request)
    {
        try
        {
            var result = kind switch
            {
                PatchKind.Json => JsonPatch.Apply(current, patch),
                PatchKind.Merge => JsonMergePatch.Apply(current, patch),
                PatchKind.Strategic => StrategicMergePatch.Apply(current, AsObject(patch), request.Resource.WireType),
                _ => Apply(current, AsObject(patch), request),
            };
            return result as JsonObject ?? throw ApiException.BadRequest("the patch does not leave an object");
        }
        catch (PatchException e)
        {
            throw e.Malformed ? ApiException.BadRequest(e.Message) : ApiException.Invalid(e.Message);
        }
    }

    /// <summary>
    /// Server-side apply, reduced to what works without field ownership: the applied configuration is merged into
    /// the live object (strategically for built-in kinds, as a merge patch for custom resources) and fields it
    /// leaves out are kept. Conflicts between managers are not detected and managedFields are not recorded.
    /// </summary>
    private static JsonNode Apply(JsonObject current, JsonObject applied, ResourceRequest request)
    {
        var configuration = AppliedObject(request, applied);
        return request.Resource.IsCustom
            ? JsonMergePatch.Apply(current, configuration)!
            : StrategicMergePatch.Apply(current, configuration, request.Resource.WireType);
    }

    // An applied configuration names the object fully; its kind and name must be this request's.
    private static JsonObject AppliedObject(ResourceRequest request, JsonNode applied)
    {
        var obj = (AsObject(applied).DeepClone() as JsonObject)!;
        var name = obj["metadata"]?["name"]?.GetValue<string>();
        if (name is not null && name != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
        }

        if (obj["metadata"] is not JsonObject metadata)
        {
            obj["metadata"] = metadata = [];
        }

        metadata["name"] = request.Name;
        return obj;
    }

    private static JsonObject AsObject(JsonNode node) =>
        node as JsonObject ?? throw ApiException.BadRequest("the patch must be a JSON object");

    private enum PatchKind
    {
        Json,
        Merge,
        Strategic,
        Apply,
    }

}
