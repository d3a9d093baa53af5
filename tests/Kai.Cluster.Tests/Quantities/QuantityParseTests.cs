using Kai.Cluster.Quantities;

namespace Kai.Cluster.Tests.Quantities;

public sealed class QuantityParseTests
{
    [Theory]
    [InlineData("500m", 500L, 1L)]
    [InlineData("2Gi", 2_147_483_648_000L, 2_147_483_648L)]
    [InlineData("1e3", 1_000_000L, 1_000L)]
    [InlineData("1E3", 1_000_000L, 1_000L)]
    [InlineData("1e+3", 1_000_000L, 1_000L)]
    [InlineData("1e-3", 1L, 1L)]
    [InlineData("2.5e2", 250_000L, 250L)]
    [InlineData("0.5", 500L, 1L)]
    [InlineData("1.5Gi", 1_610_612_736_000L, 1_610_612_736L)]
    [InlineData("100M", 100_000_000_000L, 100_000_000L)]
    [InlineData("250M", 250_000_000_000L, 250_000_000L)]
    [InlineData("12345", 12_345_000L, 12_345L)]
    [InlineData("+1", 1_000L, 1L)]
    [InlineData(".5", 500L, 1L)]
    [InlineData("5.", 5_000L, 5L)]
    [InlineData("0", 0L, 0L)]
    [InlineData("0.0", 0L, 0L)]
    [InlineData("1n", 1L, 1L)]
    [InlineData("1500u", 2L, 1L)]
    [InlineData("1k", 1_000_000L, 1_000L)]
    [InlineData("1Ki", 1_024_000L, 1_024L)]
    [InlineData("1Mi", 1_048_576_000L, 1_048_576L)]
    [InlineData("1536Mi", 1_610_612_736_000L, 1_610_612_736L)]
    [InlineData("1T", 1_000_000_000_000_000L, 1_000_000_000_000L)]
    [InlineData("1P", 1_000_000_000_000_000_000L, 1_000_000_000_000_000L)]
    [InlineData("1E", long.MaxValue, 1_000_000_000_000_000_000L)]
    [InlineData("1Ti", 1_099_511_627_776_000L, 1_099_511_627_776L)]
    [InlineData("1Pi", 1_125_899_906_842_624_000L, 1_125_899_906_842_624L)]
    [InlineData("10P", long.MaxValue, 10_000_000_000_000_000L)]
    [InlineData("1Ei", long.MaxValue, 1_152_921_504_606_846_976L)]
    [InlineData("8Ei", long.MaxValue, long.MaxValue)]
    [InlineData("0.1m", 1L, 1L)]
    [InlineData("1.23456789n", 1L, 1L)]
    [InlineData("1e-100", 1L, 1L)]
    [InlineData("10e18", long.MaxValue, long.MaxValue)]
    [InlineData("100000E", long.MaxValue, long.MaxValue)]
    [InlineData("007", 7_000L, 7L)]
    public void TryParse_WhenValidForm_GivesExactMilliAndUnits(string text, long milli, long units)
    {
        Assert.True(Quantity.TryParse(text, out var quantity, out var error), error);

        Assert.Equal(string.Empty, error);
        Assert.Equal(milli, quantity.ToMilli());
        Assert.Equal(units, quantity.ToUnits());
    }

    [Theory]
    [InlineData("-1", -1_000L, -1L)]
    [InlineData("-500m", -500L, -1L)]
    [InlineData("-1.5m", -2L, -1L)]
    [InlineData("-8Ei", long.MinValue, long.MinValue)]
    [InlineData("-0.000000000000000001E", -1_000L, -1L)]
    public void ToMilliAndToUnits_WhenNegative_RoundAwayFromZeroAndClamp(string text, long milli, long units)
    {
        var quantity = Quantity.Parse(text);

        Assert.True(quantity.IsNegative);
        Assert.Equal(milli, quantity.ToMilli());
        Assert.Equal(units, quantity.ToUnits());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("Ki")]
    [InlineData(".")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("--1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1.2.3")]
    [InlineData("1GB")]
    [InlineData("1ki")]
    [InlineData("1KI")]
    [InlineData("1K")]
    [InlineData("1mi")]
    [InlineData("1e")]
    [InlineData("1E+")]
    [InlineData("1e1.5")]
    [InlineData("1e1001")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData("true")]
    public void TryParse_WhenInvalid_FailsWithValidExamples(string text)
    {
        Assert.False(Quantity.TryParse(text, out var quantity, out var error));

        Assert.Equal(Quantity.Zero, quantity);
        Assert.Contains("quantity", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenSuffixUnknown_NamesSuffixAndShowsValidForms()
    {
        Assert.False(Quantity.TryParse("2GB", out _, out var error));

        Assert.Equal(
            "\"2GB\" is not a valid quantity: unknown suffix \"GB\"; use a number with an optional suffix, e.g. 500m, 2, 0.5, 1.5Gi, 100M, 1e3 " +
            "(suffixes: n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent e<N>)",
            error);
    }

    [Fact]
    public void TryParse_WhenNoNumber_SaysItMustStartWithANumber()
    {
        Assert.False(Quantity.TryParse("Gi", out _, out var error));

        Assert.StartsWith("\"Gi\" is not a valid quantity: it must start with a number; use a number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenExponentFractional_SaysExponentMustBeWhole()
    {
        Assert.False(Quantity.TryParse("1e1.5", out _, out var error));

        Assert.StartsWith("\"1e1.5\" is not a valid quantity: the exponent \"1.5\" must be a whole number such as e3 or e-2;", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenEmpty_SaysEmpty()
    {
        Assert.False(Quantity.TryParse(null, out _, out var error));

        Assert.StartsWith("an empty value is not a valid quantity;", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenInvalid_ThrowsFormatExceptionWithTheSameMessage()
    {
        Assert.False(Quantity.TryParse("1GB", out _, out var expected));

        var exception = Assert.Throws<FormatException>(() => Quantity.Parse("1GB"));

        Assert.Equal(expected, exception.Message);
    }

    [Theory]
    [InlineData("1Ki", "1024")]
    [InlineData("0.5", "500m")]
    [InlineData("1e3", "1k")]
    [InlineData("1E3", "1000")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("0", "-0")]
    [InlineData("0", "0e5")]
    [InlineData("100M", "0.1G")]
    [InlineData("1e-9", "1n")]
    [InlineData("-1", "-0.000000000000000001E")]
    public void Equals_WhenSameValueWrittenDifferently_IsTrue(string left, string right)
    {
        var a = Quantity.Parse(left);
        var b = Quantity.Parse(right);

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));
    }

    [Theory]
    [InlineData("999m", "1")]
    [InlineData("1G", "1Gi")]
    [InlineData("-1", "0")]
    [InlineData("-2", "-1")]
    [InlineData("1e-1000", "1n")]
    [InlineData("1Ei", "1e1000")]
    public void CompareTo_WhenLeftSmaller_IsNegative(string smaller, string larger)
    {
        var a = Quantity.Parse(smaller);
        var b = Quantity.Parse(larger);

        Assert.True(a < b);
        Assert.True(b > a);
        Assert.True(a <= b);
        Assert.True(b >= a);
        Assert.True(a != b);
    }

    [Theory]
    [InlineData("1.5Gi", "1610612736")]
    [InlineData("500m", "0.5")]
    [InlineData("1n", "0.000000001")]
    [InlineData("-0.000000000000000001E", "-1")]
    [InlineData("1e3", "1000")]
    [InlineData("0.000", "0")]
    [InlineData("-1.25", "-1.25")]
    [InlineData("1Ki", "1024")]
    public void ToString_GivesThePlainDecimalValue(string text, string expected)
    {
        Assert.Equal(expected, Quantity.Parse(text).ToString());
    }

    [Fact]
    public void FromMilliAndFromUnits_MatchParsedForms()
    {
        Assert.Equal(Quantity.Parse("250m"), Quantity.FromMilli(250));
        Assert.Equal(Quantity.Parse("3"), Quantity.FromUnits(3));
        Assert.Equal(Quantity.Zero, Quantity.FromMilli(0));
    }
}
