using System.Numerics;
using System.Text;

namespace Kai.Cluster.Quantities;

/// <summary>
/// An exact Kubernetes resource quantity ("500m", "1.5Gi", "1e3", ...).
/// The value is kept as <c>Odd × 2^TwoExponent × 5^FiveExponent</c> with <c>Odd</c> coprime to 10, so every
/// parsed quantity has exactly one representation (equality is structural) and no floating point is involved.
/// </summary>
/// <remarks>
/// Conversions to <see cref="long"/> round away from zero, like Kubernetes' <c>MilliValue</c>/<c>Value</c>
/// (which round "up" in magnitude), and clamp to <see cref="long.MinValue"/>..<see cref="long.MaxValue"/>
/// instead of overflowing: a quantity too large for 64 bits is always a configuration mistake, and clamping keeps
/// comparisons ("does it fit?") meaningful.
/// </remarks>
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    // Decimal exponents beyond this are rejected by the parser; it keeps BigInteger work bounded.
    internal const int MaxExponent = 1000;

    private readonly BigInteger _odd;
    private readonly int _twos;
    private readonly int _fives;

    private Quantity(BigInteger odd, int twos, int fives)
    {
        _odd = odd;
        _twos = twos;
        _fives = fives;
    }

    public static Quantity Zero => default;

    public bool IsZero => _odd.IsZero;

    public bool IsNegative => _odd.Sign < 0;

    /// <summary>Parses a quantity; the error names the problem and shows valid forms.</summary>
    public static bool TryParse(string? text, out Quantity value, out string error) =>
        QuantityParser.TryParse(text, out value, out error);

    /// <summary>Parses a quantity or throws <see cref="FormatException"/> with the same message as <see cref="TryParse"/>.</summary>
    public static Quantity Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>A whole number of units, e.g. <c>FromUnits(3)</c> is "3".</summary>
    public static Quantity FromUnits(long units) => Create(units, 0, 0);

    /// <summary>A number of thousandths, e.g. <c>FromMilli(500)</c> is "500m".</summary>
    public static Quantity FromMilli(long milli) => Create(milli, 0, -3);

    /// <summary>Builds <c>mantissa × 2^binaryExponent × 10^decimalExponent</c> in canonical form.</summary>
    internal static Quantity Create(BigInteger mantissa, int binaryExponent, int decimalExponent)
    {
        if (mantissa.IsZero)
        {
            return default;
        }

        var twos = binaryExponent + decimalExponent;
        var fives = decimalExponent;
        while (mantissa.IsEven)
        {
            mantissa >>= 1;
            twos++;
        }

        while ((mantissa % 5).IsZero)
        {
            mantissa /= 5;
            fives++;
        }

        return new Quantity(mantissa, twos, fives);
    }

    /// <summary>Thousandths of the value (CPU millicores, GPU milli-devices), rounded away from zero and clamped.</summary>
    public long ToMilli() => ScaledToInt64(3);

    /// <summary>Whole units (bytes, counts), rounded away from zero and clamped.</summary>
    public long ToUnits() => ScaledToInt64(0);

    private long ScaledToInt64(int decimalScale)
    {
        if (_odd.IsZero)
        {
            return 0;
        }

        var twos = _twos + decimalScale;
        var fives = _fives + decimalScale;

        // Cheap magnitude estimate first: values far above 2^63 never build huge BigIntegers.
        var log2Estimate = (double)_odd.GetBitLength() + twos + (fives * 2.33);
        if (log2Estimate > 70)
        {
            return IsNegative ? long.MinValue : long.MaxValue;
        }

        var numerator = BigInteger.Abs(_odd);
        var denominator = BigInteger.One;
        if (twos >= 0)
        {
            numerator <<= twos;
        }
        else
        {
            denominator <<= -twos;
        }

        if (fives >= 0)
        {
            numerator *= BigInteger.Pow(5, fives);
        }
        else
        {
            denominator *= BigInteger.Pow(5, -fives);
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (!remainder.IsZero)
        {
            quotient += 1;
        }

        if (IsNegative)
        {
            quotient = -quotient;
        }

        if (quotient > long.MaxValue)
        {
            return long.MaxValue;
        }

        return quotient < long.MinValue ? long.MinValue : (long)quotient;
    }

    /// <summary>The exact value as a plain decimal number ("1.5", "1073741824", "0.001"), which parses back to an equal quantity.</summary>
    public override string ToString()
    {
        if (_odd.IsZero)
        {
            return "0";
        }

        // value = odd × 2^twos × 5^fives = integer × 10^-shift with shift = max(0, -twos, -fives).
        var shift = Math.Max(0, Math.Max(-_twos, -_fives));
        var integer = BigInteger.Abs(_odd) * BigInteger.Pow(2, _twos + shift) * BigInteger.Pow(5, _fives + shift);
        var digits = integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var builder = new StringBuilder();
        if (IsNegative)
        {
            builder.Append('-');
        }

        if (shift == 0)
        {
            return builder.Append(digits).ToString();
        }

        if (digits.Length <= shift)
        {
            builder.Append("0.").Append('0', shift - digits.Length).Append(digits);
        }
        else
        {
            builder.Append(digits, 0, digits.Length - shift).Append('.').Append(digits, digits.Length - shift, shift);
        }

        return builder.ToString();
    }

    public bool Equals(Quantity other) => _odd == other._odd && _twos == other._twos && _fives == other._fives;

    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_odd, _twos, _fives);

    public int CompareTo(Quantity other)
    {
        var sign = _odd.Sign.CompareTo(other._odd.Sign);
        if (sign != 0 || _odd.IsZero)
        {
            return sign;
        }

        // Same sign: compare a × 2^t1 × 5^f1 with b × 2^t2 × 5^f2 by moving everything to non-negative exponents.
        var minTwos = Math.Min(_twos, other._twos);
        var minFives = Math.Min(_fives, other._fives);
        var left = _odd * BigInteger.Pow(2, _twos - minTwos) * BigInteger.Pow(5, _fives - minFives);
        var right = other._odd * BigInteger.Pow(2, other._twos - minTwos) * BigInteger.Pow(5, other._fives - minFives);
        return left.CompareTo(right);
    }

    /// <summary>The exact sum, as Kubernetes adds quantities (<c>Quantity.Add</c>) without rounding.</summary>
    public static Quantity operator +(Quantity left, Quantity right)
    {
        if (left._odd.IsZero)
        {
            return right;
        }

        if (right._odd.IsZero)
        {
            return left;
        }

        var minTwos = Math.Min(left._twos, right._twos);
        var minFives = Math.Min(left._fives, right._fives);
        var sum = (left._odd * BigInteger.Pow(2, left._twos - minTwos) * BigInteger.Pow(5, left._fives - minFives))
            + (right._odd * BigInteger.Pow(2, right._twos - minTwos) * BigInteger.Pow(5, right._fives - minFives));
        return Create(sum, minTwos - minFives, minFives);
    }

    /// <summary>The same as <see cref="op_Addition"/>, for languages without operators.</summary>
    public static Quantity Add(Quantity left, Quantity right) => left + right;

    /// <summary>
    /// The value times a whole number (e.g. a GPU fraction times its number of devices).
    /// </summary>
    public Quantity Times(long factor) => Create(_odd * factor, _twos - _fives, _fives);

    /// <summary>The value divided by a positive whole number, when the result is exact (a terminating decimal); else null.</summary>
    public Quantity? DividedExactlyBy(long divisor)
    {
        if (divisor <= 0)
        {
            return null;
        }

        // Only factors 2 and 5 of the divisor can move into the exponents; anything else must divide the odd part.
        var rest = new BigInteger(divisor);
        var twos = 0;
        var fives = 0;
        while (rest.IsEven)
        {
            rest >>= 1;
            twos++;
        }

        while ((rest % 5).IsZero)
        {
            rest /= 5;
            fives++;
        }

        if (!(_odd % rest).IsZero)
        {
            return null;
        }

        return Create(_odd / rest, (_twos - twos) - (_fives - fives), _fives - fives);
    }

    public static bool operator ==(Quantity left, Quantity right) => left.Equals(right);

    public static bool operator !=(Quantity left, Quantity right) => !left.Equals(right);

    public static bool operator <(Quantity left, Quantity right) => left.CompareTo(right) < 0;

    public static bool operator <=(Quantity left, Quantity right) => left.CompareTo(right) <= 0;

    public static bool operator >(Quantity left, Quantity right) => left.CompareTo(right) > 0;

    public static bool operator >=(Quantity left, Quantity right) => left.CompareTo(right) >= 0;
}
