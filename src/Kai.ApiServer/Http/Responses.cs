using System.Text;
using k8s.Models;

namespace Kai.ApiServer.Http;

/// <summary>Writing JSON bodies, Status bodies and warnings.</summary>
internal static class Responses
{
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = MediaTypes.Json;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteObjectAsync(HttpContext context, int statusCode, object value) =>
        WriteJsonAsync(context, statusCode, KubeJson.Serialize(value));

    public static Task WriteErrorAsync(HttpContext context, ApiException error) =>
        WriteObjectAsync(context, error.Code, error.ToStatus());

    /// <summary>A success Status, as binding and eviction answer (201).</summary>
    public static Task WriteSuccessAsync(HttpContext context, int statusCode, V1StatusDetails? details = null) =>
        WriteObjectAsync(context, statusCode, new V1Status
        {
            ApiVersion = "v1",
            Kind = "Status",
            Metadata = new V1ListMeta(),
            Status = "Success",
            Code = statusCode,
            Details = details,
        });

    /// <summary>Adds <c>Warning: 299 - "text"</c> headers, as the API server reports unknown fields under fieldValidation=Warn.</summary>
    public static void AddWarnings(HttpContext context, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            var escaped = new StringBuilder(warning.Length + 2);
            foreach (var c in warning)
            {
                escaped.Append(c is '"' or '\\' ? "\\" + c : c);
            }

            context.Response.Headers.Append("Warning", $"299 - \"{escaped}\"");
        }
    }
}
