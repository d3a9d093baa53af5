using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using Kai.Cluster.Kubernetes.Rest;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

/// <summary>
/// REST access to one kind — built-in, KAI's CRDs, or one registered at run time — through this one class, over
/// <see cref="RestTransport"/> (KubernetesClient's HTTP client, bodies read and written as UTF-8 in one pass).
/// Objects are read as the kind's C# type.
/// </summary>
internal interface IResourceClient
{
    KindInfo Kind { get; }

    /// <summary>Every object of the kind across namespaces, read in pages, and the list's resource version.</summary>
    Task<(List<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion)> ListAsync(int pageSize, CancellationToken cancellationToken);

    /// <summary>A watch from <paramref name="resourceVersion"/> with bookmarks; in-stream errors go to <paramref name="onError"/>.</summary>
    IAsyncEnumerable<(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object)> WatchAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);

    Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken);

    /// <summary>Creates the object and reads only the stored object's metadata from the answer.</summary>
    Task<V1ObjectMeta> CreateReadingMetadataAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken);

    Task<IKubernetesObject<V1ObjectMeta>> ReplaceAsync(IKubernetesObject<V1ObjectMeta> obj, bool status, CancellationToken cancellationToken);

    Task<IKubernetesObject<V1ObjectMeta>> PatchAsync(string ns, string name, V1Patch patch, bool status, CancellationToken cancellationToken);

    /// <summary>The deleted or terminating object, or null when the server answered with a Status instead.</summary>
    Task<IKubernetesObject<V1ObjectMeta>?> DeleteAsync(string ns, string name, long? gracePeriodSeconds, CancellationToken cancellationToken);

    /// <summary>A POST to an object's subresource (<c>binding</c>, <c>eviction</c>) whose answer is a Status.</summary>
    Task CreateSubresourceAsync(string ns, string name, string subresource, object body, CancellationToken cancellationToken);
}

/// <param name="versions">Versions already decoded, reused for answers and watch events of the same version; null to decode every one.</param>
internal sealed class ResourceClient<T>(RestTransport transport, KindInfo kind, IKnownVersions? versions) : IResourceClient
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Func<ReadOnlySequence<byte>, T?>? _known = versions is null ? null : json => Known(versions, kind, json);

    // /api/v1 for the core group, /apis/{group}/{version} for the others.
    private readonly string _prefix = kind.Key.Group.Length == 0
        ? "/api/" + kind.Key.ApiVersion
        : "/apis/" + kind.Key.ApiVersion;

    public KindInfo Kind => kind;

    public async Task<(List<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion)> ListAsync(int pageSize, CancellationToken cancellationToken)
    {
        var items = new List<IKubernetesObject<V1ObjectMeta>>();
        string? next = null;
        string resourceVersion;
        do
        {
            var query = $"?limit={pageSize.ToString(CultureInfo.InvariantCulture)}" + (string.IsNullOrEmpty(next) ? string.Empty : "&continue=" + Uri.EscapeDataString(next));
            var page = await transport.SendAsync<ObjectList<T>>(HttpMethod.Get, $"{_prefix}/{kind.Plural}{query}", null, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                items.Add(Stamp(item));
            }

            resourceVersion = page.Metadata.ResourceVersion ?? "0";
            next = page.Metadata.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return (items, resourceVersion);
    }

    public async IAsyncEnumerable<(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object)> WatchAsync(
        string resourceVersion,
        int timeoutSeconds,
        Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = $"?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}";
        using var response = await transport.OpenAsync(HttpMethod.Get, $"{_prefix}/{kind.Plural}{query}", null, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var (type, obj) in WatchStream.ReadAsync(stream, onError, _known, cancellationToken).ConfigureAwait(false))
            {
                yield return (type, type == WatchEventType.Bookmark ? obj : Stamp(obj));
            }
        }
    }

    public async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return Stamp(await SendAsync(HttpMethod.Get, ItemPath(ns, name), null, cancellationToken).ConfigureAwait(false));
        }
        catch (k8s.Autorest.HttpOperationException e) when ((int)e.Response.StatusCode == 404)
        {
            return null;
        }
    }

    public async Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken) =>
        Stamp(await SendAsync(HttpMethod.Post, CollectionPath(obj), RestTransport.Json(WithTypeMeta(obj)), cancellationToken).ConfigureAwait(false));

    public async Task<V1ObjectMeta> CreateReadingMetadataAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        var answer = await transport.SendAsync<MetadataAnswer>(HttpMethod.Post, CollectionPath(obj), RestTransport.Json(WithTypeMeta(obj)), cancellationToken).ConfigureAwait(false);
        return answer.Metadata ?? throw new JsonException($"POST {kind.Plural}: the API server answered without metadata");
    }

    public async Task<IKubernetesObject<V1ObjectMeta>> ReplaceAsync(IKubernetesObject<V1ObjectMeta> obj, bool status, CancellationToken cancellationToken)
    {
        var path = ItemPath(obj.Metadata.NamespaceProperty, obj.Metadata.Name) + (status ? "/status" : string.Empty);
        return Stamp(await SendAsync(HttpMethod.Put, path, RestTransport.Json(WithTypeMeta(obj)), cancellationToken).ConfigureAwait(false));
    }

    public async Task<IKubernetesObject<V1ObjectMeta>> PatchAsync(string ns, string name, V1Patch patch, bool status, CancellationToken cancellationToken)
    {
        var path = ItemPath(ns, name) + (status ? "/status" : string.Empty);
        return Stamp(await SendAsync(HttpMethod.Patch, path, RestTransport.Patch(patch), cancellationToken).ConfigureAwait(false));
    }

    public async Task<IKubernetesObject<V1ObjectMeta>?> DeleteAsync(string ns, string name, long? gracePeriodSeconds, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds, PropagationPolicy = "Background" };
        var query = gracePeriodSeconds is { } grace ? "?gracePeriodSeconds=" + grace.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var answer = await transport.SendAsync<JsonElement>(HttpMethod.Delete, ItemPath(ns, name) + query, RestTransport.Json(options), cancellationToken).ConfigureAwait(false);

        // A real API server answers some deletes with the object and others with a Status.
        if (answer.ValueKind == JsonValueKind.Object
            && !(answer.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String && k.GetString() == "Status"))
        {
            return Stamp(answer.Deserialize<T>(RestTransport.Options) ?? throw new JsonException($"DELETE {kind.Plural} {ns}/{name}: a null object"));
        }

        return null;
    }

    public Task CreateSubresourceAsync(string ns, string name, string subresource, object body, CancellationToken cancellationToken) =>
        transport.SendAsync<JsonElement>(HttpMethod.Post, $"{ItemPath(ns, name)}/{subresource}", RestTransport.Json(body), cancellationToken);

    private static string Escape(string value) => Uri.EscapeDataString(value);

    // The object decoded before at the version the JSON names (the same stored object), else null.
    private static T? Known(IKnownVersions versions, KindInfo kind, ReadOnlySequence<byte> json) =>
        VersionPeek.TryRead(json, out var identity) ? versions.Find(kind, identity) as T : null;

    private Task<T> SendAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken) =>
        _known is null
            ? transport.SendAsync<T>(method, path, body, cancellationToken)
            : transport.SendAsync(method, path, body, _known, cancellationToken);

    private string CollectionPath(IKubernetesObject<V1ObjectMeta> obj) => kind.IsNamespaced
        ? $"{_prefix}/namespaces/{Escape(obj.Metadata.NamespaceProperty)}/{kind.Plural}"
        : $"{_prefix}/{kind.Plural}";

    private string ItemPath(string ns, string name) => kind.IsNamespaced
        ? $"{_prefix}/namespaces/{Escape(ns)}/{kind.Plural}/{Escape(name)}"
        : $"{_prefix}/{kind.Plural}/{Escape(name)}";

    // Built-in list items come without apiVersion and kind; every object the cache hands out carries them.
    private T Stamp(T obj)
    {
        obj.ApiVersion = kind.Key.ApiVersion;
        obj.Kind = kind.Key.Kind;
        return obj;
    }

    // The caller's object is shared and must not be mutated: a shallow copy carries the type meta.
    private IKubernetesObject<V1ObjectMeta> WithTypeMeta(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj.ApiVersion == kind.Key.ApiVersion && obj.Kind == kind.Key.Kind)
        {
            return obj;
        }

        var copy = KubeObjects.ShallowCopy(obj);
        copy.ApiVersion = kind.Key.ApiVersion;
        copy.Kind = kind.Key.Kind;
        return copy;
    }
}
