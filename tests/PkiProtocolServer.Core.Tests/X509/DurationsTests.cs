using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Tests.X509;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("720h", 2_592_000)]
    [InlineData("30d", 2_592_000)]
    [InlineData("1h30m", 5400)]
    [InlineData("1y", 31_536_000)]
    public void Vault_style_durations_parse(string text, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "ttl"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("10x")]
    [InlineData("h")]
    [InlineData("-5m")]
    [InlineData("1000000y")]
    [InlineData("20000y")]
    [InlineData("999999d999999d999999d")]
    [InlineData("99999999999999999999")]
    public void Nonsense_is_a_malformed_error_naming_the_field(string text)
    {
        var ex = Assert.Throws<PkiException>(() => Durations.Parse(text, "max_ttl"));

        Assert.Equal(PkiErrorKind.Malformed, ex.Kind);
        Assert.Contains("max_ttl", ex.Message);
    }
}
