using System.Globalization;
using System.Numerics;

namespace Kai.Cluster.Quantities;

/// <summary>
/// Parses the Kubernetes quantity grammar: <c>[+-] digits[.digits] [suffix]</c> where the suffix is a decimal SI
/// suffix (n u m k M G T P E), a binary SI suffix (Ki Mi Gi Ti Pi Ei) or a decimal exponent (e3, E-2, e+6).
/// "1E" is exa; "1E3" is an exponent.
/// </summary>
internal static class QuantityParser
{
    internal const string ValidForms =
        "use a number with an optional suffix, e.g. 500m, 2, 0.5, 1.5Gi, 100M, 1e3 " +
        "(suffixes: n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent e<N>)";

    // Longer input is never a real quantity; the limit keeps BigInteger parsing cheap.
    private const int MaxLength = 256;

    public static bool TryParse(string? text, out Quantity value, out string error)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            error = $"an empty value is not a valid quantity; {ValidForms}";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"a {text.Length}-character value is not a valid quantity (at most {MaxLength}); {ValidForms}";
            return false;
        }

        var negative = text[0] == '-';
        var position = text[0] is '+' or '-' ? 1 : 0;
        var integerDigits = ReadDigits(text, ref position);
        var fractionDigits = string.Empty;
        if (position < text.Length && text[position] == '.')
        {
            position++;
            fractionDigits = ReadDigits(text, ref position);
        }

        if (integerDigits.Length == 0 && fractionDigits.Length == 0)
        {
            error = $"\"{text}\" is not a valid quantity: it must start with a number; {ValidForms}";
            return false;
        }

        if (!TryParseSuffix(text, text[position..], out var binaryExponent, out var decimalExponent, out error))
        {
            return false;
        }

        var mantissa = BigInteger.Parse(
            string.Concat(integerDigits, fractionDigits) is { Length: > 0 } digits ? digits : "0",
            NumberStyles.None,
            CultureInfo.InvariantCulture);
        if (negative)
        {
            mantissa = -mantissa;
        }

        value = Quantity.Create(mantissa, binaryExponent, decimalExponent - fractionDigits.Length);
        error = string.Empty;
        return true;
    }

    private static string ReadDigits(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        return text[start..position];
    }

    // Suffix → (binary exponent, decimal exponent). "E" alone is exa; "E3" is an exponent (handled below).
    private static readonly Dictionary<string, (int Binary, int Decimal)> Suffixes = new(StringComparer.Ordinal)
    {
        [string.Empty] = (0, 0),
        ["n"] = (0, -9),
        ["u"] = (0, -6),
        ["m"] = (0, -3),
        ["k"] = (0, 3),
        ["M"] = (0, 6),
        ["G"] = (0, 9),
        ["T"] = (0, 12),
        ["P"] = (0, 15),
        ["E"] = (0, 18),
        ["Ki"] = (10, 0),
        ["Mi"] = (20, 0),
        ["Gi"] = (30, 0),
        ["Ti"] = (40, 0),
        ["Pi"] = (50, 0),
        ["Ei"] = (60, 0),
    };

    private static bool TryParseSuffix(string text, string suffix, out int binaryExponent, out int decimalExponent, out string error)
    {
        binaryExponent = 0;
        decimalExponent = 0;
        error = string.Empty;
        if (Suffixes.TryGetValue(suffix, out var exponents))
        {
            (binaryExponent, decimalExponent) = exponents;
            return true;
        }

        if (suffix[0] is 'e' or 'E' && suffix.Length > 1)
        {
            return TryParseExponent(text, suffix[1..], out decimalExponent, out error);
        }

        error = $"\"{text}\" is not a valid quantity: unknown suffix \"{suffix}\"; {ValidForms}";
        return false;
    }

    private static bool TryParseExponent(string text, string exponent, out int decimalExponent, out string error)
    {
        decimalExponent = 0;
        var digits = exponent[0] is '+' or '-' ? exponent[1..] : exponent;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            error = $"\"{text}\" is not a valid quantity: the exponent \"{exponent}\" must be a whole number such as e3 or e-2; {ValidForms}";
            return false;
        }

        // Leading zeros are fine ("1e0003"); only the magnitude is bounded.
        var trimmed = digits.TrimStart('0');
        if (trimmed.Length > 6 || (trimmed.Length > 0 && int.Parse(trimmed, CultureInfo.InvariantCulture) > Quantity.MaxExponent))
        {
            error = $"\"{text}\" is not a valid quantity: the exponent is out of range (at most {Quantity.MaxExponent} either way)";
            return false;
        }

        decimalExponent = trimmed.Length == 0 ? 0 : int.Parse(trimmed, CultureInfo.InvariantCulture);
        if (exponent[0] == '-')
        {
            decimalExponent = -decimalExponent;
        }

        error = string.Empty;
        return true;
    }
}
