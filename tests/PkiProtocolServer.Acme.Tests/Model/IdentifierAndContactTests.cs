using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Acme.Tests.Model;

/// <summary>Identifier syntax (RFC 8555 7.1.3, RFC 8738 3), contacts (7.3), and which challenges each identifier gets.</summary>
public sealed class IdentifierAndContactTests
{
    [Theory]
    [InlineData("dns", "WWW.Example.ORG", "www.example.org")]
    [InlineData("dns", "*.example.org", "*.example.org")]
    [InlineData("dns", "localhost", "localhost")]
    [InlineData("ip", "192.0.2.1", "192.0.2.1")]
    [InlineData("ip", "2001:DB8:0:0::1", "2001:db8::1")]
    public void Valid_identifiers_are_normalised(string type, string value, string normalised)
    {
        Assert.Equal(new AcmeIdentifier(type, normalised), AcmeIdentifier.Parse(type, value));
    }

    [Theory]
    [InlineData("dns", "example.org.")]
    [InlineData("dns", "a..example.org")]
    [InlineData("dns", "a.*.example.org")]
    [InlineData("dns", "*")]
    [InlineData("dns", "ex_ample.org")]
    [InlineData("dns", "192.0.2.1")]
    [InlineData("ip", "192.0.2")]
    [InlineData("ip", "192.0.2.01")]
    [InlineData("ip", "fe80::1%eth0")]
    [InlineData("ip", "example.org")]
    public void Invalid_identifiers_are_rejectedIdentifier_naming_themselves(string type, string value)
    {
        var e = Assert.Throws<AcmeException>(() => AcmeIdentifier.Parse(type, value));

        Assert.Equal(AcmeErrorType.RejectedIdentifier, e.Type);
        Assert.Equal(value, Assert.Single(e.Subproblems).Identifier?.Value);
    }

    [Fact]
    public void An_unknown_identifier_type_is_unsupportedIdentifier()
    {
        Assert.Equal(AcmeErrorType.UnsupportedIdentifier, Assert.Throws<AcmeException>(() => AcmeIdentifier.Parse("email", "a@example.org")).Type);
    }

    [Fact]
    public void Wildcards_get_dns01_only_ip_addresses_http01_and_tls_alpn01_names_all_three()
    {
        Assert.Equal(["dns-01"], NewOrderService.ChallengeTypesFor(new AcmeIdentifier("dns", "*.example.org")));
        Assert.Equal(["http-01", "tls-alpn-01"], NewOrderService.ChallengeTypesFor(new AcmeIdentifier("ip", "192.0.2.1")));
        Assert.Equal(["http-01", "dns-01", "tls-alpn-01"], NewOrderService.ChallengeTypesFor(new AcmeIdentifier("dns", "www.example.org")));
        Assert.Equal(new AcmeIdentifier("dns", "example.org"), new AcmeIdentifier("dns", "*.example.org").WithoutWildcard());
    }

    [Theory]
    [InlineData("mailto:admin@example.org")]
    [InlineData("MAILTO:admin@sub.example.org")]
    public void A_plain_mailto_address_is_a_contact(string contact)
    {
        Assert.StartsWith("mailto:admin@", ContactValidator.Validate(contact));
    }

    [Fact]
    public void More_than_ten_contacts_are_invalidContact()
    {
        var payload = System.Text.Json.JsonDocument.Parse("{\"contact\":[" + string.Join(",", Enumerable.Range(0, 11).Select(i => $"\"mailto:a{i}@example.org\"")) + "]}").RootElement;

        Assert.Equal(AcmeErrorType.InvalidContact, Assert.Throws<AcmeException>(() => ContactValidator.Read(payload)).Type);
    }
}
