using k8s.Models;
using Kai.Cluster.Quantities;

namespace Kai.Cluster.Tests.Quantities;

public sealed class QuantityValidationTests
{
    [Fact]
    public void TryParseNonNegative_WhenNegative_FailsWithExamples()
    {
        Assert.False(QuantityValidation.TryParseNonNegative("-1", out var value, out var error));

        Assert.Equal(Quantity.Zero, value);
        Assert.Equal("\"-1\" is negative; amounts must be zero or more, e.g. 0, 500m, 2, 1.5Gi", error);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("250m", 250L)]
    public void TryParseNonNegative_WhenZeroOrMore_Succeeds(string text, long milli)
    {
        Assert.True(QuantityValidation.TryParseNonNegative(text, out var value, out var error));

        Assert.Equal(string.Empty, error);
        Assert.Equal(milli, value.ToMilli());
    }

    [Fact]
    public void TryParseNonNegative_WhenSyntaxInvalid_ReportsTheSyntaxError()
    {
        Assert.False(QuantityValidation.TryParseNonNegative("lots", out _, out var error));

        Assert.StartsWith("\"lots\" is not a valid quantity:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e3", "1e3", 1_000_000L)]
    [InlineData("0.5", "500m", 500L)]
    [InlineData("1.5Gi", "1536Mi", 1_610_612_736_000L)]
    [InlineData("-1", "-0.000000000000000001E", -1_000L)]
    [InlineData("1e19", "10e18", long.MaxValue)]
    [InlineData("1e-100", "1e-9", 1L)]
    public void TryFromResourceQuantity_ParsesTheClientsCanonicalForm(string input, string canonical, long milli)
    {
        var clientQuantity = new ResourceQuantity(input);

        Assert.Equal(canonical, clientQuantity.ToString());
        Assert.True(QuantityValidation.TryFromResourceQuantity(clientQuantity, out var value, out _));
        Assert.Equal(milli, value.ToMilli());
    }

    [Fact]
    public void TryFromResourceQuantity_WhenNull_Fails()
    {
        Assert.False(QuantityValidation.TryFromResourceQuantity(null, out _, out var error));

        Assert.StartsWith("the quantity is missing;", error, StringComparison.Ordinal);
    }
}
