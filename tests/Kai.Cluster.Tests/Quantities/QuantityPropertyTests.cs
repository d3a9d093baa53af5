using System.Globalization;
using System.Numerics;
using CsCheck;
using Kai.Cluster.Quantities;

namespace Kai.Cluster.Tests.Quantities;

public sealed class QuantityPropertyTests
{
    private static readonly (string Suffix, BigInteger Numerator, BigInteger Denominator)[] Suffixes =
    [
        ("", 1, 1), ("n", 1, 1_000_000_000), ("u", 1, 1_000_000), ("m", 1, 1_000), ("k", 1_000, 1), ("M", 1_000_000, 1),
        ("G", 1_000_000_000, 1), ("T", BigInteger.Pow(10, 12), 1), ("P", BigInteger.Pow(10, 15), 1), ("E", BigInteger.Pow(10, 18), 1),
        ("Ki", 1L << 10, 1), ("Mi", 1L << 20, 1), ("Gi", 1L << 30, 1), ("Ti", 1L << 40, 1), ("Pi", 1L << 50, 1), ("Ei", 1L << 60, 1),
        ("e0", 1, 1), ("e3", 1_000, 1), ("e-3", 1, 1_000), ("E6", 1_000_000, 1), ("e-9", 1, 1_000_000_000), ("e+2", 100, 1),
    ];

    // Quantity text from its parts: sign, whole digits, fraction digits (maybe none), suffix.
    private static readonly Gen<(string Text, bool Negative, string Digits, int FractionLength, int Suffix)> QuantityText =
        Gen.Select(
            Gen.Bool,
            Gen.Char["0123456789"].Array[1, 12].Select(digits => new string(digits)),
            Gen.Char["0123456789"].Array[0, 9].Select(digits => new string(digits)),
            Gen.Bool,
            Gen.Int[0, Suffixes.Length - 1],
            (negative, whole, fraction, withPoint, suffix) =>
            {
                var fractionPart = withPoint ? "." + fraction : string.Empty;
                var text = (negative ? "-" : string.Empty) + whole + fractionPart + Suffixes[suffix].Suffix;
                return (text, negative, whole + (withPoint ? fraction : string.Empty), withPoint ? fraction.Length : 0, suffix);
            });

    [Fact]
    public void Parse_OfToString_GivesAnEqualQuantity()
    {
        QuantityText.Sample(sample =>
        {
            var quantity = Quantity.Parse(sample.Text);

            Assert.Equal(quantity, Quantity.Parse(quantity.ToString()));
        });
    }

    [Fact]
    public void ToMilliAndToUnits_MatchExactRationalArithmetic()
    {
        QuantityText.Sample(sample =>
        {
            var quantity = Quantity.Parse(sample.Text);
            var (_, numerator, denominator) = Suffixes[sample.Suffix];
            var magnitude = BigInteger.Parse(sample.Digits, CultureInfo.InvariantCulture) * numerator;
            var scale = BigInteger.Pow(10, sample.FractionLength) * denominator;

            Assert.Equal(Expected(magnitude * 1000, scale, sample.Negative), quantity.ToMilli());
            Assert.Equal(Expected(magnitude, scale, sample.Negative), quantity.ToUnits());
        });
    }

    [Fact]
    public void FromMilli_RoundTripsThroughMilliText()
    {
        Gen.Long.Sample(milli =>
        {
            var text = milli.ToString(CultureInfo.InvariantCulture) + "m";

            Assert.Equal(milli, Quantity.Parse(text).ToMilli());
            Assert.Equal(Quantity.FromMilli(milli), Quantity.Parse(text));
        });
    }

    [Fact]
    public void ResourceQuantityCanonicalForm_ParsesToTheSameMilliValue()
    {
        Gen.Select(Gen.Long[0, 1_000_000_000_000], Gen.Int[0, Suffixes.Length - 1], (amount, suffix) => (amount, suffix)).Sample(sample =>
        {
            var text = sample.amount.ToString(CultureInfo.InvariantCulture) + Suffixes[sample.suffix].Suffix;
            var canonical = new k8s.Models.ResourceQuantity(text);

            Assert.True(QuantityValidation.TryFromResourceQuantity(canonical, out var fromClient, out var error), error);
            Assert.Equal(Quantity.Parse(text).ToMilli(), fromClient.ToMilli());
        });
    }

    // Round away from zero, then clamp to 64 bits, as Quantity documents.
    private static long Expected(BigInteger magnitude, BigInteger scale, bool negative)
    {
        var quotient = BigInteger.DivRem(magnitude, scale, out var remainder);
        if (!remainder.IsZero)
        {
            quotient++;
        }

        if (negative)
        {
            quotient = -quotient;
        }

        return quotient > long.MaxValue ? long.MaxValue : quotient < long.MinValue ? long.MinValue : (long)quotient;
    }
}
