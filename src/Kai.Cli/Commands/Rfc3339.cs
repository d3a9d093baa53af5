using System.Globalization;

namespace Kai.Cli.Commands;

/// <summary>RFC 3339 times only (e.g. 2026-01-01T00:00:00Z, 2026-01-01T09:30:00.5+02:00): no culture-dependent guessing.</summary>
internal static class Rfc3339
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd't'HH:mm:ssK", "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        var ok = DateTimeOffset.TryParseExact(text.Replace('z', 'Z'), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value);

        // 'K' also accepts no offset at all; RFC 3339 requires one.
        return ok && (text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10);
    }
}
