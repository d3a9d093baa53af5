using Kai.Cluster.Crds;

namespace Kai.Cluster.Tests.Manifests;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("90s", 90_000_000_000L)]
    [InlineData("5m", 300_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("1h1m1s1ms1us1ns", 3_661_001_001_001L)]
    [InlineData("2\u00b5s", 2_000L)]
    [InlineData("3\u03bcs", 3_000L)]
    [InlineData("-5m", -300_000_000_000L)]
    [InlineData("+5s", 5_000_000_000L)]
    [InlineData("1.0000000001s", 1_000_000_000L)]
    [InlineData("2562047h", 9_223_369_200_000_000_000L)]
    public void TryParse_WhenGoDuration_GivesNanoseconds(string text, long nanoseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration, out var error), error);

        Assert.Equal(nanoseconds, duration.Nanoseconds);
    }

    [Theory]
    [InlineData("", "an empty value is not a valid duration; ")]
    [InlineData("5", "\"5\" is not a valid duration: missing unit after \"5\"; ")]
    [InlineData("5x", "\"5x\" is not a valid duration: unknown unit \"x\"; ")]
    [InlineData("1h30", "\"1h30\" is not a valid duration: missing unit after \"1h30\"; ")]
    [InlineData("h", "\"h\" is not a valid duration: expected a number at \"h\"; ")]
    [InlineData("-", "\"-\" is not a valid duration: a number must follow the sign; ")]
    [InlineData("--5s", "\"--5s\" is not a valid duration: expected a number at \"-5s\"; ")]
    [InlineData("1e3s", "\"1e3s\" is not a valid duration: unknown unit \"e\"; ")]
    [InlineData("5 m", "\"5 m\" is not a valid duration: unknown unit \" m\"; ")]
    [InlineData("2562048h", "\"2562048h\" is not a valid duration: it is longer than Go's maximum of about 292 years")]
    public void TryParse_WhenInvalid_SaysWhatIsWrong(string text, string expectedStart)
    {
        Assert.False(GoDuration.TryParse(text, out var duration, out var error));

        Assert.Equal(default, duration);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenUnitUnknown_ShowsValidExamples()
    {
        Assert.False(GoDuration.TryParse("10min", out _, out var error));

        Assert.Equal(
            "\"10min\" is not a valid duration: unknown unit \"min\"; use a number with a unit, e.g. 30s, 5m, 1h30m, 500ms, 1.5h or 0 (units: ns, us, ms, s, m, h)",
            error);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(15L, "15ns")]
    [InlineData(1_500L, "1.5\u00b5s")]
    [InlineData(500_000_000L, "500ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(5_400_000_000_000L, "1h30m0s")]
    [InlineData(-300_000_000_000L, "-5m0s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void ToString_FormatsLikeGo(long nanoseconds, string expected)
    {
        Assert.Equal(expected, new GoDuration(nanoseconds).ToString());
    }

    [Fact]
    public void ToTimeSpan_TruncatesToTicks()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), GoDuration.Parse("1h30m").ToTimeSpan());
        Assert.Equal(TimeSpan.FromTicks(1), new GoDuration(199).ToTimeSpan());
    }

    [Fact]
    public void Parse_WhenInvalid_Throws()
    {
        var exception = Assert.Throws<FormatException>(() => GoDuration.Parse("soon"));

        Assert.StartsWith("\"soon\" is not a valid duration", exception.Message, StringComparison.Ordinal);
    }
}
