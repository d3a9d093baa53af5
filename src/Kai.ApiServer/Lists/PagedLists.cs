using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;

namespace Kai.ApiServer.Lists;

/// <summary>
/// Lists served in pages (<c>limit</c>/<c>continue</c>). The first page captures the whole filtered, sorted result
/// — an array of references to immutable stored objects, so cheap — and later pages are cut from that capture:
/// every page is consistent with the first page's resource version, as with etcd. A token is valid for
/// <see cref="ApiServerOptions.ContinueTokenLifetime"/> and while among the newest
/// <see cref="ApiServerOptions.MaxPagedLists"/> captures; after that it gets 410 Expired, as a compacted one does.
/// </summary>
internal sealed class PagedLists(int capacity, TimeSpan lifetime, TimeProvider time)
{
    private const string TokenVersion = "kai1";

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Capture> _captures = [];
    private readonly Queue<long> _order = new();
    private long _next;

    /// <summary>Keeps <paramref name="items"/> for continuation and returns the token of the page starting at <paramref name="offset"/>.</summary>
    public string Keep(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items, string resourceVersion, string resourcePath, int offset)
    {
        lock (_gate)
        {
            var id = ++_next;
            _captures[id] = new Capture(items, resourceVersion, resourcePath, time.GetUtcNow() + lifetime);
            _order.Enqueue(id);
            while (_order.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _captures.Remove(oldest);
            }

            return Token(id, offset);
        }
    }

    /// <summary>The capture and offset a token continues from.</summary>
    /// <exception cref="ApiException">400 for a malformed token or one for another resource; 410 when expired.</exception>
    public (IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion, int Offset, long Id) Resume(string token, string resourcePath)
    {
        var (id, offset) = ParseToken(token);
        lock (_gate)
        {
            if (!_captures.TryGetValue(id, out var capture) || capture.Expires < time.GetUtcNow())
            {
                _captures.Remove(id);
                throw ApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            if (capture.ResourcePath != resourcePath || offset > capture.Items.Count)
            {
                throw ApiException.BadRequest("continue key is not valid: it was issued for another list");
            }

            return (capture.Items, capture.ResourceVersion, offset, id);
        }
    }

    public static string Token(long id, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{TokenVersion}:{id}:{offset}")));

    private static (long Id, int Offset) ParseToken(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 3 && parts[0] == TokenVersion
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return (id, offset);
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version kai1)");
    }

    private sealed record Capture(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion, string ResourcePath, DateTimeOffset Expires);
}
