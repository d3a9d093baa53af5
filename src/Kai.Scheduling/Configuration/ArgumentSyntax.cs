using System.Globalization;

namespace Kai.Scheduling.Configuration;

/// <summary>
/// How argument text is read: numbers and booleans the same everywhere, durations as the configuration format
/// writes them. The engine knows no file format, so a reader whose files write durations differently (KAI's use
/// Go's <c>30s</c>, <c>1h30m</c>) supplies its own <see cref="TryParseDuration"/>.
/// </summary>
public class ArgumentSyntax
{
    /// <summary>Invariant numbers, <c>true</c>/<c>false</c>, and durations in .NET's invariant form (<c>00:05:00</c>).</summary>
    public static ArgumentSyntax Invariant { get; } = new();

    /// <summary>What a duration looks like, for messages (e.g. <c>30s, 5m or 1h30m</c>).</summary>
    public virtual string DurationExamples => "00:00:30, 00:05:00 or 01:30:00";

    public virtual bool TryParseDuration(string text, out TimeSpan value) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);

    public virtual bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public virtual bool TryParseBoolean(string text, out bool value) => bool.TryParse(text, out value);
}
