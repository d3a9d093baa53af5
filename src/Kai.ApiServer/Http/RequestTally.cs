using System.Collections.Concurrent;

namespace Kai.ApiServer.Http;

/// <summary>
/// How many resource requests the server answered, by verb and resource (<c>POST pods/binding</c>, <c>WATCH pods</c>):
/// what <c>kai bench --through-api</c> reports per bound pod. One counter increment per request.
/// </summary>
public sealed class RequestTally
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>The counts so far, by <c>VERB resource[/subresource]</c>.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    internal void Count(HttpRequest request, string plural, string? subresource)
    {
        var verb = HttpMethods.IsGet(request.Method) && request.Query.ContainsKey("watch") ? "WATCH" : request.Method;
        var key = subresource is null ? $"{verb} {plural}" : $"{verb} {plural}/{subresource}";
        _counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
    }
}
