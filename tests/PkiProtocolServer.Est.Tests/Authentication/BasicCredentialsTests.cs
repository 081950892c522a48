using System.Text;
using PkiProtocolServer.Est.Authentication;

namespace PkiProtocolServer.Est.Tests.Authentication;

public sealed class BasicCredentialsTests
{
    private static string Header(string userPass) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userPass));

    [Fact]
    public void A_basic_header_gives_user_and_password_with_colons_kept_in_the_password()
    {
        var credentials = BasicCredentials.Parse(Header("device-7:pa:ss wörd"), out var malformed);

        Assert.False(malformed);
        Assert.Equal(new BasicCredentials("device-7", "pa:ss wörd"), credentials);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    public void No_basic_header_is_no_credentials(string? header)
    {
        Assert.Null(BasicCredentials.Parse(header, out var malformed));
        Assert.False(malformed);
    }

    [Theory]
    [InlineData("Basic !!!")]
    [InlineData("Basic bm9jb2xvbg==")]
    [InlineData("Basic OnBhc3N3b3Jk")]
    public void An_unreadable_basic_header_is_malformed_not_absent(string header)
    {
        Assert.Null(BasicCredentials.Parse(header, out var malformed));
        Assert.True(malformed);
    }
}
