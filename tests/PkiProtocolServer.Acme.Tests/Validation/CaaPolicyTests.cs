using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme.Tests.Validation;

/// <summary>
/// CAA processing without a server: the relevant RRset found by climbing the tree (RFC 8659 3), issue / issuewild
/// (4.2, 4.3), the critical flag (4.1), RFC 8657 accounturi and validationmethods, and failing closed on DNS errors.
/// </summary>
public sealed class CaaPolicyTests
{
    private const string Account = "https://ca.example/acme/account/abc";
    private static readonly string[] Us = ["ca.example"];

    private static CaaRecordData Issue(string value, byte flags = 0) => new(flags, "issue", value);

    private static CaaRecordData IssueWild(string value) => new(0, "issuewild", value);

    private static string? Evaluate(bool wildcard, params CaaRecordData[] records) => CaaPolicy.Evaluate(records, wildcard, Us, Account, "dns-01");

    [Fact]
    public void No_records_allow_issuance()
    {
        Assert.Null(Evaluate(wildcard: false));
        Assert.Null(Evaluate(wildcard: true));
    }

    [Fact]
    public void An_issue_property_naming_this_CA_allows_and_one_naming_another_refuses_citing_the_record()
    {
        Assert.Null(Evaluate(false, Issue("ca.example")));
        Assert.Null(Evaluate(false, Issue("other.example"), Issue("CA.Example")));

        var refusal = Evaluate(false, Issue("other.example"));

        Assert.NotNull(refusal);
        Assert.Contains("other.example", refusal);
    }

    [Fact]
    public void Tags_match_case_insensitively()
    {
        Assert.NotNull(Evaluate(false, new CaaRecordData(0, "ISSUE", "other.example")));
        Assert.Null(Evaluate(true, new CaaRecordData(0, "Issue", "other.example"), new CaaRecordData(0, "IssueWild", "ca.example")));
    }

    [Fact]
    public void An_empty_issuer_domain_name_authorizes_no_one()
    {
        Assert.NotNull(Evaluate(false, Issue(";")));
        Assert.NotNull(Evaluate(false, Issue(string.Empty)));
    }

    [Fact]
    public void Issuewild_governs_wildcards_and_falls_back_to_issue_but_never_restricts_plain_names()
    {
        Assert.NotNull(Evaluate(true, Issue("ca.example"), IssueWild("other.example")));
        Assert.Null(Evaluate(false, Issue("ca.example"), IssueWild("other.example")));
        Assert.Null(Evaluate(true, Issue("other.example"), IssueWild("ca.example")));
        Assert.NotNull(Evaluate(true, Issue("other.example")));
        Assert.Null(Evaluate(false, IssueWild("other.example")));
    }

    [Fact]
    public void An_unknown_tag_with_the_critical_flag_refuses_and_without_it_is_ignored()
    {
        Assert.NotNull(Evaluate(false, Issue("ca.example"), new CaaRecordData(128, "tbs", "x")));
        Assert.Null(Evaluate(false, Issue("ca.example"), new CaaRecordData(0, "tbs", "x")));
        Assert.Null(Evaluate(false, Issue("ca.example", flags: 128), new CaaRecordData(128, "iodef", "mailto:x@example.org")));
    }

    [Fact]
    public void Accounturi_must_be_this_account_exactly()
    {
        Assert.Null(Evaluate(false, Issue($"ca.example; accounturi={Account}")));
        Assert.NotNull(Evaluate(false, Issue("ca.example; accounturi=https://ca.example/acme/account/other")));
        Assert.NotNull(Evaluate(false, Issue($"ca.example; accounturi={Account}; accounturi={Account}")));
        Assert.NotNull(CaaPolicy.Evaluate([Issue($"ca.example; accounturi={Account}")], false, Us, accountUrl: null, "dns-01"));
    }

    [Fact]
    public void Validationmethods_must_list_the_challenge_type_used()
    {
        Assert.Null(Evaluate(false, Issue("ca.example; validationmethods=http-01,dns-01")));
        Assert.Null(Evaluate(false, Issue("ca.example ;validationmethods = dns-01 ; other=x")));
        Assert.NotNull(Evaluate(false, Issue("ca.example; validationmethods=http-01,tls-alpn-01")));
    }

    [Fact]
    public void A_malformed_parameter_makes_the_property_authorize_no_one()
    {
        Assert.NotNull(Evaluate(false, Issue("ca.example; nonsense")));
    }

    [Fact]
    public async Task The_checker_climbs_to_the_closest_name_with_CAA_and_stops_there()
    {
        var dns = new StaticDnsResolver();
        dns.SetCaa("example.org", Issue("ca.example"));
        dns.SetCaa("org", Issue("other.example"));
        var checker = new CaaChecker(dns);

        await checker.CheckAsync(new AcmeIdentifier("dns", "a.b.example.org"), false, Us, Account, "dns-01", CancellationToken.None);

        Assert.Equal(["a.b.example.org", "b.example.org", "example.org"], dns.CaaQueries);
    }

    [Fact]
    public async Task The_checker_refuses_with_caa_naming_the_identifier_and_the_owner_of_the_records()
    {
        var dns = new StaticDnsResolver();
        dns.SetCaa("example.net", Issue("other.example"));
        var checker = new CaaChecker(dns);

        var refused = await Assert.ThrowsAsync<ChallengeFailedException>(() =>
            checker.CheckAsync(new AcmeIdentifier("dns", "www.example.net"), true, Us, Account, "dns-01", CancellationToken.None));

        Assert.Equal(AcmeErrorType.Caa, refused.Type);
        Assert.Contains("*.www.example.net", refused.Message);
        Assert.Contains("CAA at example.net", refused.Message);
        Assert.Contains("other.example", refused.Message);
    }

    [Fact]
    public async Task A_failing_lookup_refuses_and_the_whole_tree_without_records_allows()
    {
        var dns = new StaticDnsResolver();
        dns.ServFail.Add("broken.example.com");
        var checker = new CaaChecker(dns);

        var refused = await Assert.ThrowsAsync<ChallengeFailedException>(() =>
            checker.CheckAsync(new AcmeIdentifier("dns", "www.broken.example.com"), false, Us, Account, "http-01", CancellationToken.None));
        await checker.CheckAsync(new AcmeIdentifier("dns", "free.example.com"), false, Us, Account, "http-01", CancellationToken.None);

        Assert.Equal(AcmeErrorType.Caa, refused.Type);
        Assert.Contains("SERVFAIL", refused.Message);
        Assert.Contains("com", dns.CaaQueries);
    }

    [Fact]
    public async Task Without_configured_identities_or_for_an_ip_address_nothing_is_looked_up()
    {
        var dns = new StaticDnsResolver();
        dns.SetCaa("example.org", Issue("other.example"));
        var checker = new CaaChecker(dns);

        await checker.CheckAsync(new AcmeIdentifier("dns", "example.org"), false, [], Account, "dns-01", CancellationToken.None);
        await checker.CheckAsync(new AcmeIdentifier("ip", "192.0.2.1"), false, Us, Account, "http-01", CancellationToken.None);

        Assert.Empty(dns.CaaQueries);
    }
}
