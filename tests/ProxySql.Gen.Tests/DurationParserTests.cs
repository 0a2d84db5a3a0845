using ProxySql.Core;
using ProxySql.Configuration;

namespace ProxySql.Tests;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("00:00:30", 30_000)]
    [InlineData("30", 30_000)]
    [InlineData("0.5", 500)]
    [InlineData(" 2 ", 2_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    public void Accepts_a_timespan_or_a_number_of_seconds(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("30s")]
    [InlineData("0,5")]
    [InlineData("NaN")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }
}
