using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kai.ApiServer.Http;

/// <summary>Reading a request body as JSON (JSON or YAML on the wire; protobuf and CBOR are refused with 415).</summary>
internal static class RequestBody
{
    private const int MaxBytes = 16 * 1024 * 1024;

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and <= MaxBytes)
        {
            return await ReadExactlyAsync(request, (int)length, cancellationToken).ConfigureAwait(false);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw new ApiException(413, "RequestEntityTooLarge", "the request body is larger than 16 MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // A declared length (Kestrel holds the body to it) is read into one array of that size, without copies.
    private static async Task<byte[]> ReadExactlyAsync(HttpRequest request, int length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        await request.Body.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>The body as a JSON node, decoded by its Content-Type (JSON by default; YAML when declared or when it does not start like JSON).</summary>
    public static JsonNode Parse(byte[] body, string? contentType)
    {
        var essence = MediaTypes.Essence(contentType);
        if (essence.Contains("protobuf", StringComparison.Ordinal) || essence.Contains("cbor", StringComparison.Ordinal))
        {
            throw ApiException.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {essence})");
        }

        if (!StartsLikeJson(body, essence))
        {
            var text = Encoding.UTF8.GetString(body);
            if (text.TrimStart().Length == 0)
            {
                throw ApiException.BadRequest("the request body is empty");
            }

            return YamlJson.Parse(text);
        }

        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) ?? throw ApiException.BadRequest("the request body is JSON null");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>
    /// Whether <see cref="Parse"/> reads the body as JSON: not declared YAML, and its first character (after
    /// white space) opens an object or array. Decided on the bytes, without decoding the body to a string.
    /// </summary>
    public static bool IsJson(byte[] body, string? contentType) => StartsLikeJson(body, MediaTypes.Essence(contentType));

    public static JsonObject ParseObject(byte[] body, string? contentType) =>
        Parse(body, contentType) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static bool StartsLikeJson(byte[] body, string essence)
    {
        if (essence is MediaTypes.Yaml or MediaTypes.ApplyPatchYaml)
        {
            return false;
        }

        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C)
            {
                continue;
            }

            if (b < 0x80)
            {
                return b is (byte)'{' or (byte)'[';
            }

            // Non-ASCII white space (or anything else) first: decide on the text, as it always was.
            var trimmed = Encoding.UTF8.GetString(body).TrimStart();
            return trimmed.Length > 0 && trimmed[0] is '{' or '[';
        }

        return false;
    }
}
