using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Authentication;
using k8s.Autorest;
using k8s.Models;

namespace Kai.Cluster.Kubernetes.Rest;

/// <summary>
/// Requests to the API server on KubernetesClient's own <see cref="HttpClient"/>, base address and credentials (so
/// TLS, client certificates, tokens and exec plugins work as configured), with bodies written and read as UTF-8 in
/// one pass by System.Text.Json and KubernetesJson's converters — where the library's generated operations serialise
/// each body to a string and read each answer into a string first. Failures are thrown as the library throws them
/// (<see cref="HttpOperationException"/> with the answer's status and body), so <see cref="ApiErrors"/> reads both alike.
/// </summary>
internal sealed class RestTransport
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly ServiceClientCredentials? _credentials;
    private readonly TimeSpan _requestTimeout;

    /// <param name="requestTimeout">The longest a request other than a watch may take, its answer read.</param>
    public RestTransport(IKubernetes client, TimeSpan requestTimeout)
    {
        _requestTimeout = requestTimeout;
        var kubernetes = client as k8s.Kubernetes
            ?? throw new ArgumentException($"The Kubernetes backend needs KubernetesClient's {typeof(k8s.Kubernetes).FullName} (its HttpClient, base address and credentials), not {client.GetType().FullName}.", nameof(client));
        _http = kubernetes.HttpClient;
        _base = kubernetes.BaseUri.AbsoluteUri.TrimEnd('/');
        _credentials = kubernetes.Credentials;
    }

    /// <summary>KubernetesJson's serializer options, captured once and never modified.</summary>
    public static JsonSerializerOptions Options { get; } = CaptureOptions();

    /// <summary>A JSON body: <paramref name="value"/> serialised straight to UTF-8.</summary>
    public static HttpContent Json(object value, string mediaType = "application/json")
    {
        var bytes = value is string text ? Encoding.UTF8.GetBytes(text) : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = mediaType == "application/json" ? JsonMediaType : new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>The patch's body with the content type its kind of patch is sent with.</summary>
    public static HttpContent Patch(V1Patch patch) => Json(patch.Content, patch.Type switch
    {
        V1Patch.PatchType.JsonPatch => "application/json-patch+json",
        V1Patch.PatchType.MergePatch => "application/merge-patch+json",
        V1Patch.PatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
        V1Patch.PatchType.ApplyPatch => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(patch), patch.Type, "unknown patch type"),
    });

    /// <summary>
    /// Opens a stream (a watch): the answer once its headers are in, its body to be read for as long as it lasts (the
    /// caller disposes the answer); an answer other than 2xx is read and thrown as <see cref="HttpOperationException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> OpenAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _base + path)
        {
            Content = body,
            Version = _http.DefaultRequestVersion,
            VersionPolicy = _http.DefaultVersionPolicy,
        };

        if (_credentials is not null)
        {
            await _credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, text),
            };
        }
    }

    /// <summary>Sends a request and reads its answer as <typeparamref name="T"/>, within the request timeout.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        using var response = await OpenAsync(method, path, body, timeout.Token).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, Options, timeout.Token).ConfigureAwait(false)
                ?? throw new JsonException($"{method} {path}: the API server answered with an empty body");
        }
    }

    /// <summary>
    /// Sends a request and reads its answer as <typeparamref name="T"/>, within the request timeout; the answer is read
    /// whole first and handed to <paramref name="known"/>, whose object (a version already decoded) is returned instead
    /// of deserialising the answer again when it has one.
    /// </summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, Func<ReadOnlySequence<byte>, T?> known, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        using var response = await OpenAsync(method, path, body, timeout.Token).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        return known(new ReadOnlySequence<byte>(bytes))
            ?? JsonSerializer.Deserialize<T>(bytes, Options)
            ?? throw new JsonException($"{method} {path}: the API server answered with an empty body");
    }

    private static JsonSerializerOptions CaptureOptions()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(options => captured = options);
        return captured ?? throw new InvalidOperationException("KubernetesJson did not expose its serializer options.");
    }
}
