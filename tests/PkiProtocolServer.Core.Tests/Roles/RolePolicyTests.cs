using System.Net;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.Roles;

public sealed class RolePolicyTests
{
    private static readonly Role Web = new() { Name = "web", AllowedDomains = ["example.com"], AllowSubdomains = true };

    private static IReadOnlyList<PkiSubproblem> Check(Role role, string? cn, params string[] dns) =>
        RolePolicy.Check(role, cn, new SubjectNames { DnsNames = dns }, KeySpec.EcP256, null);

    [Fact]
    public void A_role_with_only_a_name_allows_nothing()
    {
        var refusals = Check(new Role { Name = "empty" }, "www.example.com");

        var refusal = Assert.Single(refusals);
        Assert.Equal("allowed_domains", refusal.Rule);
        Assert.Equal("www.example.com", refusal.Value);
    }

    [Fact]
    public void Subdomains_of_an_allowed_domain_pass_at_any_depth()
    {
        Assert.Empty(Check(Web, "www.example.com", "a.b.c.example.com"));
    }

    [Fact]
    public void A_name_outside_the_allowed_domains_is_refused_naming_the_rule_and_the_name()
    {
        var refusal = Assert.Single(Check(Web, null, "evil.net"));

        Assert.Equal("allowed_domains", refusal.Rule);
        Assert.Equal("evil.net", refusal.Value);
        Assert.Contains("evil.net", refusal.Detail);
        Assert.Contains("example.com", refusal.Detail);
    }

    [Fact]
    public void A_suffix_that_is_not_a_label_boundary_does_not_match()
    {
        Assert.Equal("allowed_domains", Assert.Single(Check(Web, null, "badexample.com")).Rule);
    }

    [Fact]
    public void The_bare_domain_needs_allow_bare_domains()
    {
        Assert.Equal("allow_bare_domains", Assert.Single(Check(Web, null, "example.com")).Rule);
        Assert.Empty(Check(Web with { AllowBareDomains = true }, null, "example.com"));
    }

    [Fact]
    public void Wildcards_need_allow_wildcard_certificates()
    {
        Assert.Equal("allow_wildcard_certificates", Assert.Single(Check(Web, null, "*.example.com")).Rule);
        Assert.Empty(Check(Web with { AllowWildcardCertificates = true }, null, "*.example.com"));
    }

    [Fact]
    public void A_wildcard_anywhere_but_the_leftmost_label_is_not_a_hostname()
    {
        var role = Web with { AllowWildcardCertificates = true };

        Assert.Equal("enforce_hostnames", Assert.Single(Check(role, null, "www.*.example.com")).Rule);
        Assert.Equal("enforce_hostnames", Assert.Single(Check(role, null, "w*.example.com")).Rule);
    }

    [Fact]
    public void Glob_domains_match_only_with_allow_glob_domains()
    {
        var role = new Role { Name = "glob", AllowedDomains = ["web-*.example.com"] };

        Assert.NotEmpty(Check(role, null, "web-01.example.com"));
        Assert.Empty(Check(role with { AllowGlobDomains = true }, null, "web-01.example.com"));
        Assert.NotEmpty(Check(role with { AllowGlobDomains = true }, null, "db-01.example.com"));
    }

    [Fact]
    public void Localhost_needs_allow_localhost_even_with_matching_domains()
    {
        Assert.Equal("allow_localhost", Assert.Single(Check(Web, null, "localhost")).Rule);
        Assert.Empty(Check(Web with { AllowLocalhost = true }, null, "localhost", "app.localhost"));
    }

    [Fact]
    public void Allow_any_name_still_enforces_hostnames_and_wildcards()
    {
        var any = new Role { Name = "any", AllowAnyName = true };

        Assert.Empty(Check(any, "anything.test", "x.y.z"));
        Assert.Equal("enforce_hostnames", Assert.Single(Check(any, null, "under_score.example")).Rule);
        Assert.Equal("allow_wildcard_certificates", Assert.Single(Check(any, null, "*.test")).Rule);
        Assert.Empty(Check(any with { EnforceHostnames = false }, null, "under_score.example"));
    }

    [Fact]
    public void Ip_sans_are_refused_unless_allowed()
    {
        var names = new SubjectNames { IpAddresses = [IPAddress.Parse("10.0.0.1")] };

        Assert.Equal("allow_ip_sans", Assert.Single(RolePolicy.Check(Web, null, names, KeySpec.EcP256, null)).Rule);
        Assert.Empty(RolePolicy.Check(Web with { AllowIpSans = true }, null, names, KeySpec.EcP256, null));
    }

    [Fact]
    public void An_ip_common_name_is_checked_as_an_ip()
    {
        Assert.Equal("allow_ip_sans", Assert.Single(Check(Web, "192.0.2.7")).Rule);
    }

    [Fact]
    public void Uri_sans_must_match_an_allowed_pattern()
    {
        var role = Web with { AllowedUriSans = ["spiffe://cluster.local/ns/*"] };
        var good = new SubjectNames { Uris = ["spiffe://cluster.local/ns/prod/sa/web"] };
        var bad = new SubjectNames { Uris = ["spiffe://other/ns/prod"] };

        Assert.Empty(RolePolicy.Check(role, null, good, KeySpec.EcP256, null));
        Assert.Equal("allowed_uri_sans", Assert.Single(RolePolicy.Check(role, null, bad, KeySpec.EcP256, null)).Rule);
    }

    [Fact]
    public void Key_type_and_minimum_bits_are_enforced()
    {
        var rsaOnly = Web with { KeyType = "rsa", KeyBits = 3072 };

        Assert.Equal("key_type", Assert.Single(RolePolicy.Check(rsaOnly, "a.example.com", SubjectNames.Empty, KeySpec.EcP256, null)).Rule);
        Assert.Equal("key_bits", Assert.Single(RolePolicy.Check(rsaOnly, "a.example.com", SubjectNames.Empty, KeySpec.Rsa2048, null)).Rule);
        Assert.Empty(RolePolicy.Check(rsaOnly, "a.example.com", SubjectNames.Empty, KeySpec.Rsa4096, null));
        Assert.Equal("key_bits", Assert.Single(RolePolicy.Check(Web with { KeyType = "ec", KeyBits = 384 }, "a.example.com", SubjectNames.Empty, KeySpec.EcP256, null)).Rule);
    }

    [Fact]
    public void A_ttl_above_max_ttl_is_refused()
    {
        var refusal = Assert.Single(RolePolicy.Check(Web, "a.example.com", SubjectNames.Empty, KeySpec.EcP256, TimeSpan.FromDays(365)));

        Assert.Equal("max_ttl", refusal.Rule);
    }

    [Fact]
    public void Require_cn_refuses_a_request_without_a_common_name()
    {
        Assert.Equal("require_cn", Assert.Single(Check(Web with { RequireCn = true }, null, "www.example.com")).Rule);
    }

    [Fact]
    public void Every_refused_name_is_reported_not_only_the_first()
    {
        var ex = Assert.Throws<PkiException>(() => RolePolicy.Enforce(Web, "evil.net", new SubjectNames { DnsNames = ["www.example.com", "bad.org"], IpAddresses = [IPAddress.Loopback] }, KeySpec.EcP256, null));

        Assert.Equal(PkiErrorKind.PolicyRefused, ex.Kind);
        Assert.Equal(["evil.net", "bad.org", "127.0.0.1"], ex.Subproblems.Select(s => s.Value));
    }

    [Fact]
    public void A_request_with_no_names_at_all_is_malformed()
    {
        var ex = Assert.Throws<PkiException>(() => RolePolicy.Enforce(Web, null, SubjectNames.Empty, KeySpec.EcP256, null));

        Assert.Equal(PkiErrorKind.Malformed, ex.Kind);
    }

    [Fact]
    public void Names_are_compared_case_insensitively()
    {
        Assert.Empty(Check(Web, "WWW.Example.COM"));
    }

    [Fact]
    public void Email_sans_are_checked_against_the_domain_rules()
    {
        Assert.Empty(RolePolicy.Check(Web, null, new SubjectNames { Emails = ["ops@mail.example.com"] }, KeySpec.EcP256, null));
        Assert.NotEmpty(RolePolicy.Check(Web, null, new SubjectNames { Emails = ["ops@evil.net"] }, KeySpec.EcP256, null));
    }

    [Fact]
    public void A_zero_ttl_is_refused()
    {
        Assert.Equal("ttl", Assert.Single(RolePolicy.Check(Web, "a.example.com", SubjectNames.Empty, KeySpec.EcP256, TimeSpan.Zero)).Rule);
    }
}
