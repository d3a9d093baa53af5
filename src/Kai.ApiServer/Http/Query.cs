using System.Globalization;

namespace Kai.ApiServer.Http;

/// <summary>Typed reads of request query parameters; a malformed value is a 400.</summary>
internal static class Query
{
    public static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    public static bool Flag(HttpRequest request, string name) =>
        Text(request, name) switch
        {
            null or "" or "false" or "0" => false,
            "true" or "1" => true,
            var other => throw ApiException.BadRequest($"invalid value \"{other}\" for query parameter {name}: expected true or false"),
        };

    public static long? Integer(HttpRequest request, string name)
    {
        var text = Text(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.BadRequest($"invalid value \"{text}\" for query parameter {name}: expected an integer");
    }

    /// <summary>True when the request asks for a dry run (<c>dryRun=All</c>, the only value).</summary>
    public static bool DryRun(HttpRequest request)
    {
        if (!request.Query.TryGetValue("dryRun", out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            if (value != "All")
            {
                throw ApiException.BadRequest($"Invalid dry run value: \"{value}\": supported values: \"All\"");
            }
        }

        return values.Count > 0;
    }
}
