using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Lists;
using Kai.ApiServer.Selectors;
using Kai.ApiServer.Tables;

namespace Kai.ApiServer.Handlers;

internal sealed partial class ResourceHandler
{
    private static readonly byte[] Comma = ","u8.ToArray();

    private async Task GetAsync(ResourceRequest request)
    {
        var stored = context.Cluster.Get(request.Resource.Storage, request.StoreNamespace, request.Name!) ?? throw NotFound(request, request.Name);
        if (MediaTypes.WantsTable(request.Request.Headers.Accept))
        {
            var table = TableWriter.Write(context, request.Resource, [stored], stored.Metadata.ResourceVersion, null, Query.Text(request.Request, "includeObject"));
            await Responses.WriteJsonAsync(request.Http, 200, table).ConfigureAwait(false);
            return;
        }

        await Responses.WriteJsonAsync(request.Http, 200, ObjectCodec.Encode(context, request.Resource, stored)).ConfigureAwait(false);
    }

    private async Task ListAsync(ResourceRequest request)
    {
        var http = request.Request;
        var limit = Query.Integer(http, "limit") ?? 0;
        var continueToken = Query.Text(http, "continue");
        var path = ListPath(request);
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items;
        string resourceVersion;
        var offset = 0;
        long captureId = 0;
        if (!string.IsNullOrEmpty(continueToken))
        {
            if (!string.IsNullOrEmpty(Query.Text(http, "resourceVersion")))
            {
                throw ApiException.BadRequest("specifying resource version is not allowed when using continue");
            }

            (items, resourceVersion, offset, captureId) = context.PagedLists.Resume(continueToken, path);
        }
        else
        {
            (items, resourceVersion) = Select(request);
        }

        var end = limit > 0 ? (int)Math.Min(items.Count, offset + limit) : items.Count;
        string? next = null;
        if (end < items.Count)
        {
            next = captureId == 0 ? context.PagedLists.Keep(items, resourceVersion, path, end) : PagedLists.Token(captureId, end);
        }

        var page = Slice(items, offset, end);
        if (MediaTypes.WantsTable(http.Headers.Accept))
        {
            var table = TableWriter.Write(context, request.Resource, page, resourceVersion, next, Query.Text(http, "includeObject"));
            await Responses.WriteJsonAsync(request.Http, 200, table).ConfigureAwait(false);
            return;
        }

        await WriteListAsync(request, page, resourceVersion, next, items.Count - end).ConfigureAwait(false);
    }

    /// <summary>The current objects the request selects (namespace, label and field selectors), sorted by namespace and name as etcd returns them.</summary>
    private (IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion) Select(ResourceRequest request)
    {
        var http = request.Request;
        var labels = LabelSelector.Parse(Query.Text(http, "labelSelector"));
        var fields = FieldSelector.Parse(Query.Text(http, "fieldSelector"), request.Resource);
        var list = context.Cluster.List(request.Resource.Storage);
        CheckListResourceVersion(Query.Text(http, "resourceVersion"), Query.Text(http, "resourceVersionMatch"), list.ResourceVersion);
        var ns = request.Resource.Namespaced ? request.Namespace : null;
        var selected = new List<IKubernetesObject<V1ObjectMeta>>(list.Items.Count);
        foreach (var obj in list.Items)
        {
            if ((ns is null || obj.Metadata.NamespaceProperty == ns)
                && (labels.IsEverything || labels.Matches(obj.Metadata.Labels))
                && (fields.IsEverything || fields.Matches(obj, request.Resource)))
            {
                selected.Add(obj);
            }
        }

        selected.Sort(static (a, b) =>
        {
            var byNamespace = string.CompareOrdinal(a.Metadata.NamespaceProperty, b.Metadata.NamespaceProperty);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name);
        });
        return (selected, list.ResourceVersion);
    }

    // The store has only the latest state: any version up to it is served from it ("not older than"); an exact
    // older version is no longer available; a future one has not happened.
    private static void CheckListResourceVersion(string? requested, string? match, string current)
    {
        if (string.IsNullOrEmpty(requested) || requested == "0")
        {
            if (match == "Exact")
            {
                throw ApiException.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
            }

            return;
        }

        if (!long.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw ApiException.BadRequest($"invalid resource version \"{requested}\"");
        }

        var now = long.Parse(current, CultureInfo.InvariantCulture);
        if (version > now)
        {
            throw new ApiException(504, "Timeout", $"Timeout: Too large resource version: {version}, current: {now}");
        }

        if (match == "Exact" && version != now)
        {
            throw ApiException.Expired($"The resourceVersion for the provided list is too old: {version} (only the current version {now} is kept)");
        }
    }

    private static string ListPath(ResourceRequest request) =>
        string.Join(
            "|",
            request.Resource.ApiVersion,
            request.Resource.Plural,
            request.Namespace ?? string.Empty,
            Query.Text(request.Request, "labelSelector") ?? string.Empty,
            Query.Text(request.Request, "fieldSelector") ?? string.Empty);

    private static IReadOnlyList<T> Slice<T>(IReadOnlyList<T> items, int start, int end)
    {
        if (start == 0 && end == items.Count)
        {
            return items;
        }

        var page = new T[end - start];
        for (var i = start; i < end; i++)
        {
            page[i - start] = items[i];
        }

        return page;
    }

    /// <summary>Streams the list: header, the items' cached JSON separated by commas, footer; flushed every 64 KiB.</summary>
    private async Task WriteListAsync(ResourceRequest request, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items, string resourceVersion, string? next, int remaining)
    {
        var resource = request.Resource;
        var metadata = new StringBuilder().Append("{\"resourceVersion\":\"").Append(resourceVersion).Append('"');
        if (next is not null)
        {
            metadata.Append(",\"continue\":\"").Append(next).Append("\",\"remainingItemCount\":").Append(remaining.ToString(CultureInfo.InvariantCulture));
        }

        metadata.Append('}');
        var header = $"{{\"kind\":\"{resource.ListKind}\",\"apiVersion\":\"{resource.ApiVersion}\",\"metadata\":{metadata},\"items\":[";
        var response = request.Http.Response;
        response.StatusCode = 200;
        response.ContentType = MediaTypes.Json;
        var writer = response.BodyWriter;
        Write(writer, Encoding.UTF8.GetBytes(header));
        var pending = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                Write(writer, Comma);
            }

            var item = ObjectCodec.EncodeListItem(context, resource, items[i]);
            Write(writer, item);
            pending += item.Length;
            if (pending > 64 * 1024)
            {
                await writer.FlushAsync(request.Aborted).ConfigureAwait(false);
                pending = 0;
            }
        }

        Write(writer, "]}"u8);
        await writer.FlushAsync(request.Aborted).ConfigureAwait(false);
    }

    private static void Write(PipeWriter writer, ReadOnlySpan<byte> bytes)
    {
        var span = writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        writer.Advance(bytes.Length);
    }
}
