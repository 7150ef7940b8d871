using System.Globalization;
using TorchHub.Feedback;
using Xunit;

namespace TorchHub.Tests.Engine;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(5000L, "4.9 KB")]
    [InlineData(3L << 20, "3.0 MB")]
    [InlineData((5L << 30) / 2, "2.5 GB")]
    [InlineData(3L << 40, "3.0 TB")]
    public void Sizes_ArePowersOf1024_NamedAsPowerShellNamesThem(long bytes, string expected) =>
        Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void TheCultureDecidesTheDecimalMark_InvariantByDefault()
    {
        Assert.Equal("4,9 KB", ByteSize.Format(5000, CultureInfo.GetCultureInfo("de-DE")));
        Assert.Equal("4.9 KB", ByteSize.Format(5000));
    }
}
