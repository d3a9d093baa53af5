using System.Globalization;

namespace Kai.ApiServer.Tables;

/// <summary>Ages as kubectl shows them ("45s", "3m12s", "5h", "2d3h"), rounded down at each scale.</summary>
internal static class HumanDuration
{
    public static string Since(DateTime? timestamp, DateTimeOffset now) =>
        timestamp is { } time ? Format(now - new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))) : "<unknown>";

    public static string Format(TimeSpan duration)
    {
        var seconds = (long)Math.Floor(duration.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return Invariant($"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{seconds % 60}s");
        }

        if (minutes < 180)
        {
            return Invariant($"{minutes}m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{minutes % 60}m");
        }

        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{hours % 24}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }

        var years = hours / 24 / 365;
        var days = hours / 24 % 365;
        return hours < 24 * 365 * 8 && days != 0 ? Invariant($"{years}y{days}d") : Invariant($"{years}y");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
