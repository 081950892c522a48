using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Validation;

/// <summary>The dns-account-01 validation name (draft-ietf-acme-dns-account-label) and where the challenge is offered.</summary>
public sealed class DnsAccount01LabelTests
{
    [Fact]
    public void The_label_is_the_lower_case_base32_of_the_first_ten_bytes_of_the_account_url_digest()
    {
        // The draft's example account URL and label (also computed independently: base64.b32encode(sha256(url)[:10]).lower()).
        Assert.Equal("ujmmovf2vn55tgye", DnsAccount01Validator.Label("https://example.com/acme/acct/ExampleAccount"));
        Assert.Equal("_ujmmovf2vn55tgye._acme-challenge.www.example.org", DnsAccount01Validator.RecordName("https://example.com/acme/acct/ExampleAccount", "www.example.org"));
    }

    [Fact]
    public void It_is_offered_on_dns_names_and_wildcards_only_when_enabled()
    {
        Assert.DoesNotContain("dns-account-01", NewOrderService.ChallengeTypesFor(new AcmeIdentifier("dns", "www.example.org")));
        Assert.Contains("dns-account-01", NewOrderService.ChallengeTypesFor(new AcmeIdentifier("dns", "www.example.org"), dnsAccount01: true));
        Assert.Equal(["dns-01", "dns-account-01"], NewOrderService.ChallengeTypesFor(new AcmeIdentifier("dns", "*.example.org"), dnsAccount01: true));
        Assert.DoesNotContain("dns-account-01", NewOrderService.ChallengeTypesFor(new AcmeIdentifier("ip", "192.0.2.1"), dnsAccount01: true));
    }
}
