using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

/// <summary>
/// REST access to one kind through KubernetesClient's custom-object operations, which take group, version and
/// plural as data; with <see cref="CoreGroupPathHandler"/> they reach core kinds too, so every kind — built-in, KAI's
/// CRDs, or one registered at run time — goes through this one class. Objects are read as the kind's C# type.
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

    Task<IKubernetesObject<V1ObjectMeta>> ReplaceAsync(IKubernetesObject<V1ObjectMeta> obj, bool status, CancellationToken cancellationToken);

    Task<IKubernetesObject<V1ObjectMeta>> PatchAsync(string ns, string name, V1Patch patch, bool status, CancellationToken cancellationToken);

    /// <summary>The deleted or terminating object, or null when the server answered with a Status instead.</summary>
    Task<IKubernetesObject<V1ObjectMeta>?> DeleteAsync(string ns, string name, long? gracePeriodSeconds, CancellationToken cancellationToken);
}

internal sealed class ResourceClient<T>(IKubernetes client, KindInfo kind) : IResourceClient
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly string _group = kind.Key.Group;
    private readonly string _version = kind.Key.ApiVersion[(kind.Key.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public KindInfo Kind => kind;

    private ICustomObjectsOperations Api => client.CustomObjects;

    public async Task<(List<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion)> ListAsync(int pageSize, CancellationToken cancellationToken)
    {
        var items = new List<IKubernetesObject<V1ObjectMeta>>();
        string? next = null;
        string resourceVersion;
        do
        {
            using var response = await Api.ListClusterCustomObjectWithHttpMessagesAsync<ObjectList<T>>(
                _group, _version, kind.Plural, continueParameter: next, limit: pageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            var page = response.Body;
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
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = Api.ListClusterCustomObjectWithHttpMessagesAsync(
            _group, _version, kind.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, watch: true, cancellationToken: cancellationToken);
        // Marked obsolete in 21.0.8 in favour of WatchListClusterCustomObjectAsync, which yields untyped JSON
        // elements; this one reads each event straight into the kind's C# type.
#pragma warning disable CS0618
        var events = response.WatchAsync<T, object>(onError, cancellationToken);
#pragma warning restore CS0618
        await foreach (var (type, obj) in events.ConfigureAwait(false))
        {
            yield return (type, type == WatchEventType.Bookmark ? obj : Stamp(obj));
        }
    }

    public async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var response = kind.IsNamespaced
                ? await Api.GetNamespacedCustomObjectWithHttpMessagesAsync<T>(_group, _version, ns, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await Api.GetClusterCustomObjectWithHttpMessagesAsync<T>(_group, _version, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Stamp(response.Body);
        }
        catch (k8s.Autorest.HttpOperationException e) when ((int)e.Response.StatusCode == 404)
        {
            return null;
        }
    }

    public async Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        var body = WithTypeMeta(obj);
        using var response = kind.IsNamespaced
            ? await Api.CreateNamespacedCustomObjectWithHttpMessagesAsync<T>(body, _group, _version, obj.Metadata.NamespaceProperty, kind.Plural, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Api.CreateClusterCustomObjectWithHttpMessagesAsync<T>(body, _group, _version, kind.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Stamp(response.Body);
    }

    public async Task<IKubernetesObject<V1ObjectMeta>> ReplaceAsync(IKubernetesObject<V1ObjectMeta> obj, bool status, CancellationToken cancellationToken)
    {
        var body = WithTypeMeta(obj);
        var ns = obj.Metadata.NamespaceProperty;
        var name = obj.Metadata.Name;
        using var response = (kind.IsNamespaced, status) switch
        {
            (true, false) => await Api.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<T>(body, _group, _version, ns, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
            (true, true) => await Api.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(body, _group, _version, ns, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
            (false, false) => await Api.ReplaceClusterCustomObjectWithHttpMessagesAsync<T>(body, _group, _version, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
            (false, true) => await Api.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<T>(body, _group, _version, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
        };
        return Stamp(response.Body);
    }

    public async Task<IKubernetesObject<V1ObjectMeta>> PatchAsync(string ns, string name, V1Patch patch, bool status, CancellationToken cancellationToken)
    {
        using var response = (kind.IsNamespaced, status) switch
        {
            (true, false) => await Api.PatchNamespacedCustomObjectWithHttpMessagesAsync<T>(patch, _group, _version, ns, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
            (true, true) => await Api.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync<T>(patch, _group, _version, ns, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
            (false, false) => await Api.PatchClusterCustomObjectWithHttpMessagesAsync<T>(patch, _group, _version, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
            (false, true) => await Api.PatchClusterCustomObjectStatusWithHttpMessagesAsync<T>(patch, _group, _version, kind.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false),
        };
        return Stamp(response.Body);
    }

    public async Task<IKubernetesObject<V1ObjectMeta>?> DeleteAsync(string ns, string name, long? gracePeriodSeconds, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds, PropagationPolicy = "Background" };
        using var response = kind.IsNamespaced
            ? await Api.DeleteNamespacedCustomObjectWithHttpMessagesAsync(_group, _version, ns, kind.Plural, name, options, (int?)gracePeriodSeconds, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await Api.DeleteClusterCustomObjectWithHttpMessagesAsync(_group, _version, kind.Plural, name, options, (int?)gracePeriodSeconds, cancellationToken: cancellationToken).ConfigureAwait(false);

        // A real API server answers some deletes with the object and others with a Status.
        if (response.Body is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } element
            && !(element.TryGetProperty("kind", out var k) && k.ValueKind == System.Text.Json.JsonValueKind.String && k.GetString() == "Status"))
        {
            return Stamp(KubernetesJson.Deserialize<T>(element));
        }

        return null;
    }

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
