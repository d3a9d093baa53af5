using System.Globalization;
using System.Numerics;
using System.Text;

namespace Kai.Cluster.Crds;

/// <summary>
/// A Go <c>time.Duration</c> as written in KAI's CRDs ("30s", "5m", "1h30m", "500ms", "0"): a whole number of
/// nanoseconds. Parsing follows Go's <c>time.ParseDuration</c>: an optional sign, then one or more
/// number-and-unit pairs (units ns, us, µs, ms, s, m, h); a bare "0" needs no unit.
/// </summary>
public readonly record struct GoDuration(long Nanoseconds)
{
    private const string ValidForms = "use a number with a unit, e.g. 30s, 5m, 1h30m, 500ms, 1.5h or 0 (units: ns, us, ms, s, m, h)";

    private static readonly (string Unit, long Nanos)[] Units =
    [
        ("ns", 1),
        ("us", 1_000),
        ("\u00b5s", 1_000),
        ("\u03bcs", 1_000),
        ("ms", 1_000_000),
        ("s", 1_000_000_000),
        ("m", 60_000_000_000),
        ("h", 3_600_000_000_000),
    ];

    public bool IsNegative => Nanoseconds < 0;

    /// <summary>The duration as a <see cref="TimeSpan"/>, truncated to its 100 ns ticks.</summary>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks(Nanoseconds / 100);

    public static GoDuration Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(string? text, out GoDuration value, out string error)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            error = $"an empty value is not a valid duration; {ValidForms}";
            return false;
        }

        var position = 0;
        var negative = false;
        if (text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            position++;
        }

        if (text[position..] == "0")
        {
            error = string.Empty;
            return true;
        }

        if (position == text.Length)
        {
            error = $"\"{text}\" is not a valid duration: a number must follow the sign; {ValidForms}";
            return false;
        }

        var total = BigInteger.Zero;
        while (position < text.Length)
        {
            if (!TryReadTerm(text, ref position, out var nanos, out error))
            {
                return false;
            }

            total += nanos;
            if (total > long.MaxValue)
            {
                error = $"\"{text}\" is not a valid duration: it is longer than Go's maximum of about 292 years";
                return false;
            }
        }

        value = new GoDuration((long)(negative ? -total : total));
        error = string.Empty;
        return true;
    }

    /// <summary>Reads one number with its unit ("1.5h") at <paramref name="position"/>, as nanoseconds.</summary>
    private static bool TryReadTerm(string text, ref int position, out BigInteger nanos, out string error)
    {
        nanos = BigInteger.Zero;
        if (!TryReadNumber(text, ref position, out var whole, out var fraction, out var fractionScale))
        {
            error = $"\"{text}\" is not a valid duration: expected a number at \"{text[position..]}\"; {ValidForms}";
            return false;
        }

        var unitStart = position;
        while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.')
        {
            position++;
        }

        var unit = text[unitStart..position];
        if (unit.Length == 0)
        {
            error = $"\"{text}\" is not a valid duration: missing unit after \"{text[..position]}\"; {ValidForms}";
            return false;
        }

        var nanosPerUnit = Array.Find(Units, u => u.Unit == unit).Nanos;
        if (nanosPerUnit == 0)
        {
            error = $"\"{text}\" is not a valid duration: unknown unit \"{unit}\"; {ValidForms}";
            return false;
        }

        // Fractions are truncated to whole nanoseconds, as Go does.
        nanos = (whole * nanosPerUnit) + (fraction * nanosPerUnit / fractionScale);
        error = string.Empty;
        return true;
    }

    private static bool TryReadNumber(string text, ref int position, out BigInteger whole, out BigInteger fraction, out BigInteger fractionScale)
    {
        whole = BigInteger.Zero;
        fraction = BigInteger.Zero;
        fractionScale = BigInteger.One;
        var start = position;
        var digits = 0;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            if (digits++ < 30)
            {
                whole = (whole * 10) + (text[position] - '0');
            }

            position++;
        }

        // More than 30 digits is out of range whatever the unit; a stand-in keeps the arithmetic small.
        if (digits > 30)
        {
            whole = BigInteger.Pow(10, 31);
        }

        var wholeDigits = position - start;
        var fractionDigits = 0;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                if (fractionDigits < 30)
                {
                    fraction = (fraction * 10) + (text[position] - '0');
                    fractionScale *= 10;
                }

                fractionDigits++;
                position++;
            }
        }

        return wholeDigits + fractionDigits > 0;
    }

    /// <summary>Go's formatting: "1h30m0s", "1.5s", "500ms", "0s".</summary>
    public override string ToString()
    {
        if (Nanoseconds == 0)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (Nanoseconds < 0)
        {
            builder.Append('-');
        }

        // Work in unsigned magnitude so long.MinValue is handled.
        var magnitude = Nanoseconds < 0 ? (ulong)(-(Nanoseconds + 1)) + 1 : (ulong)Nanoseconds;
        if (magnitude < 1_000_000_000)
        {
            var (unit, size) = magnitude switch
            {
                < 1_000 => ("ns", 1UL),
                < 1_000_000 => ("\u00b5s", 1_000UL),
                _ => ("ms", 1_000_000UL),
            };
            AppendFraction(builder, magnitude, size);
            return builder.Append(unit).ToString();
        }

        var hours = magnitude / 3_600_000_000_000;
        var minutes = magnitude / 60_000_000_000 % 60;
        var nanosOfMinute = magnitude % 60_000_000_000;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        AppendFraction(builder, nanosOfMinute, 1_000_000_000);
        return builder.Append('s').ToString();
    }

    private static void AppendFraction(StringBuilder builder, ulong value, ulong unitSize)
    {
        builder.Append((value / unitSize).ToString(CultureInfo.InvariantCulture));
        var remainder = value % unitSize;
        if (remainder == 0)
        {
            return;
        }

        var width = unitSize.ToString(CultureInfo.InvariantCulture).Length - 1;
        builder.Append('.').Append(remainder.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0').TrimEnd('0'));
    }
}
