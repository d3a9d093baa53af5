using System.Globalization;
using System.Numerics;

namespace Kai.Cluster.Quantities;

/// <summary>
/// A quantity written as Kubernetes writes it in its canonical form: a whole number with the largest suffix that
/// keeps it whole — decimal (<c>500m</c>, <c>2</c>, <c>3k</c>) or, for binary amounts such as memory, <c>Ki</c>…<c>Ei</c>
/// when the value is a whole multiple of 1024 (<c>256Mi</c>).
/// </summary>
public static class QuantityFormat
{
    private static readonly (int Exponent, string Suffix)[] DecimalSuffixes =
        [(18, "E"), (15, "P"), (12, "T"), (9, "G"), (6, "M"), (3, "k"), (0, string.Empty), (-3, "m"), (-6, "u"), (-9, "n")];

    private static readonly string[] BinarySuffixes = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    /// <param name="value">The quantity.</param>
    /// <param name="binary">Prefer binary suffixes (memory); a value that is no multiple of 1024 is written in decimal.</param>
    public static string Canonical(Quantity value, bool binary = false)
    {
        var text = value.ToString();
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        var scale = point < 0 ? 0 : digits.Length - point - 1;
        var mantissa = BigInteger.Parse(point < 0 ? digits : digits.Remove(point, 1), CultureInfo.InvariantCulture);
        if (mantissa.IsZero)
        {
            return "0";
        }

        var sign = negative ? "-" : string.Empty;
        if (binary && scale == 0)
        {
            var suffix = -1;
            while (suffix + 1 < BinarySuffixes.Length && (mantissa % 1024).IsZero)
            {
                mantissa /= 1024;
                suffix++;
            }

            if (suffix >= 0)
            {
                return sign + mantissa.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[suffix];
            }
        }

        // value = mantissa × 10^exponent with no trailing zeros in the mantissa.
        var exponent = -scale;
        while ((mantissa % 10).IsZero)
        {
            mantissa /= 10;
            exponent++;
        }

        foreach (var (power, name) in DecimalSuffixes)
        {
            if (power <= exponent)
            {
                return sign + (mantissa * BigInteger.Pow(10, exponent - power)).ToString(CultureInfo.InvariantCulture) + name;
            }
        }

        return text; // finer than nano: plain decimal, which still parses
    }
}
