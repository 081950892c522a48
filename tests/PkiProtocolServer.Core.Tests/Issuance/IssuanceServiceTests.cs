using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.Tests.Support;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.Issuance;

public sealed class IssuanceServiceTests : IDisposable
{
    private readonly TestCa _ca = new();

    public void Dispose() => _ca.Dispose();

    private async Task<Issuer> HierarchyAsync(KeySpec? spec = null)
    {
        await _ca.RootAsync("root", spec, settings: new IssuerSettings
        {
            Urls = new IssuerUrls { IssuingCertificates = ["http://pki.test/issuers/root.der"] },
        });
        var intermediate = await _ca.IntermediateAsync("int", "root", spec);
        await _ca.Issuers.UpdateAsync("int", new IssuerUpdate
        {
            Urls = new IssuerUrls
            {
                IssuingCertificates = ["http://pki.test/issuers/int.der"],
                CrlDistributionPoints = ["http://pki.test/crl/int.crl"],
                OcspServers = ["http://pki.test/ocsp"],
            },
        }, "test", CancellationToken.None);
        await _ca.Issuers.SetDefaultAsync("int", "test", CancellationToken.None);
        await _ca.RoleAsync(new Role { Name = "web", AllowedDomains = ["example.com"], AllowSubdomains = true, PolicyIdentifiers = ["1.3.6.1.4.1.99999.1"] });
        return intermediate;
    }

    [Fact]
    public async Task A_signed_leaf_carries_every_extension_a_relying_party_needs()
    {
        var intermediate = await HierarchyAsync();
        var csr = TestCa.Csr("www.example.com", ["api.example.com"]);

        var result = await _ca.Issuance.SignAsync("web", csr, TimeSpan.FromDays(7), "test", CancellationToken.None);
        var leaf = X509CertificateLoader.LoadCertificate(result.Certificate.CertificateDer);
        var issuer = (await _ca.Catalog.GetAsync(CancellationToken.None)).Resolve("int");

        Assert.Equal("CN=www.example.com", leaf.Subject);
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["www.example.com", "api.example.com"], san.EnumerateDnsNames());
        var ku = leaf.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(ku.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, ku.KeyUsages); // no KeyEncipherment for an EC key (RFC 8813)
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        var bc = leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.False(bc.CertificateAuthority);
        Assert.True(bc.Critical);
        var aki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.Equal(issuer.KeyIdentifier, aki.KeyIdentifier!.Value.ToArray());
        Assert.NotNull(leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>().SingleOrDefault());
        var aia = leaf.Extensions.OfType<X509AuthorityInformationAccessExtension>().Single();
        Assert.Equal(["http://pki.test/ocsp"], aia.EnumerateOcspUris());
        Assert.Equal(["http://pki.test/issuers/int.der"], aia.EnumerateCAIssuersUris());
        Assert.NotNull(leaf.Extensions["2.5.29.31"]); // CDP
        Assert.NotNull(leaf.Extensions["2.5.29.32"]); // certificate policies
        Assert.Equal(intermediate.Id, result.Certificate.IssuerId);
        Assert.Equal(SerialNumbers.ToHex(leaf.SerialNumberBytes.Span), result.Certificate.Serial);
        Assert.InRange((leaf.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 6.99, 7.01);
        Assert.InRange((DateTime.UtcNow - leaf.NotBefore.ToUniversalTime()).TotalSeconds, 25, 40); // 30 s backdate
    }

    [Theory]
    [InlineData("ec-256")]
    [InlineData("ec-384")]
    [InlineData("rsa-2048")]
    [InlineData("ed25519")]
    public async Task Chains_of_every_issuer_key_type_verify_with_openssl_and_dotnet(string specName)
    {
        var spec = KeySpec.FromName(specName);
        await HierarchyAsync(spec);

        var result = await _ca.Issuance.SignAsync("web", TestCa.Csr("svc.example.com"), null, "test", CancellationToken.None);

        Assert.Equal(2, result.Chain.Count);
        var (exitCode, output) = _ca.OpensslVerify(result.Certificate.CertificateDer, result.Chain);
        Assert.True(exitCode == 0, output);
        if (spec.Algorithm != KeyAlgorithm.Ed25519)
        {
            // .NET's X509Chain has no Ed25519; openssl above covers it.
            using var chain = TestCa.DotnetChain(result.Certificate.CertificateDer, result.Chain);
            Assert.True(chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.NoError), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.Equal(3, chain.ChainElements.Count);
        }
    }

    [Fact]
    public async Task A_stored_certificate_is_recorded_before_it_is_returned()
    {
        await HierarchyAsync();

        var result = await _ca.Issuance.SignAsync("web", TestCa.Csr("a.example.com"), null, "test", CancellationToken.None);

        var stored = await _ca.Stores.Certificates.GetAsync(result.Certificate.Serial, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(result.Certificate.CertificateDer, stored.CertificateDer);
        Assert.Equal("web", stored.Role);
        Assert.True(result.Stored);
    }

    [Fact]
    public async Task A_no_store_role_records_nothing()
    {
        await HierarchyAsync();
        await _ca.RoleAsync(new Role { Name = "ephemeral", AllowedDomains = ["example.com"], AllowSubdomains = true, NoStore = true });

        var result = await _ca.Issuance.SignAsync("ephemeral", TestCa.Csr("a.example.com"), null, "test", CancellationToken.None);

        Assert.False(result.Stored);
        Assert.Null(await _ca.Stores.Certificates.GetAsync(result.Certificate.Serial, CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_name_issues_nothing_and_records_nothing()
    {
        await HierarchyAsync();

        var ex = await Assert.ThrowsAsync<PkiException>(() => _ca.Issuance.SignAsync("web", TestCa.Csr("evil.net"), null, "test", CancellationToken.None));

        Assert.Equal(PkiErrorKind.PolicyRefused, ex.Kind);
        Assert.Equal(("allowed_domains", "evil.net"), (ex.Subproblems[0].Rule, ex.Subproblems[0].Value));
        Assert.Empty(await _ca.Stores.Certificates.ListAsync(null, 100, CancellationToken.None) is var all ? all.Where(c => c.Role == "web") : []);
        Assert.Contains(_ca.Audit.Events, e => e.Operation == "certificate.issue" && e.Outcome == "refused" && e.Role == "web");
    }

    [Theory]
    [InlineData(LeafNotAfterBehavior.Err)]
    [InlineData(LeafNotAfterBehavior.Truncate)]
    [InlineData(LeafNotAfterBehavior.Permit)]
    public async Task Leaf_not_after_behavior_decides_what_happens_past_the_issuer(LeafNotAfterBehavior behavior)
    {
        await _ca.RootAsync("root");
        await _ca.IntermediateAsync("int", "root", ttl: TimeSpan.FromDays(10));
        await _ca.Issuers.UpdateAsync("int", new IssuerUpdate { LeafNotAfterBehavior = behavior }, "test", CancellationToken.None);
        await _ca.RoleAsync(new Role { Name = "long", IssuerRef = "int", AllowAnyName = true, Ttl = TimeSpan.FromDays(30), MaxTtl = TimeSpan.FromDays(30) });
        var issuerNotAfter = (await _ca.Catalog.GetAsync(CancellationToken.None)).Resolve("int").NotAfter;

        var attempt = () => _ca.Issuance.SignAsync("long", TestCa.Csr("x.test"), null, "test", CancellationToken.None);

        switch (behavior)
        {
            case LeafNotAfterBehavior.Err:
                var ex = await Assert.ThrowsAsync<PkiException>(attempt);
                Assert.Equal("leaf_not_after_behavior", ex.Subproblems[0].Rule);
                break;
            case LeafNotAfterBehavior.Truncate:
                Assert.Equal(issuerNotAfter, (await attempt()).Certificate.NotAfter, TimeSpan.FromSeconds(1));
                break;
            default:
                Assert.True((await attempt()).Certificate.NotAfter > issuerNotAfter.AddDays(15));
                break;
        }
    }

    [Fact]
    public async Task Issue_with_a_generated_key_returns_the_key_once_and_keeps_no_copy()
    {
        await HierarchyAsync();
        var keyFilesBefore = System.IO.Directory.GetFiles(Path.Combine(_ca.Directory, "keys")).Length;
        var request = new LeafRequest { Role = "web", SubjectPublicKeyInfo = [], KeySpec = KeySpec.Rsa2048, CommonName = "gen.example.com", Actor = "test" };

        var result = await _ca.Issuance.IssueWithGeneratedKeyAsync(request, KeySpec.Rsa2048, CancellationToken.None);

        using var key = RSA.Create();
        key.ImportFromPem(result.PrivateKeyPem);
        var certificate = X509CertificateLoader.LoadCertificate(result.Certificate.CertificateDer);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(keyFilesBefore, System.IO.Directory.GetFiles(Path.Combine(_ca.Directory, "keys")).Length);
        var stored = await _ca.Stores.Certificates.GetAsync(result.Certificate.Serial, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment,
            certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages); // no KeyAgreement for RSA
    }

    [Fact]
    public async Task A_chain_only_issuer_cannot_issue()
    {
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = new CertificateRequest("CN=Foreign Root", foreignKey, HashAlgorithmName.SHA256);
        foreign.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var foreignCert = foreign.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var imported = await _ca.Issuers.ImportAsync(Pem.Encode("CERTIFICATE", foreignCert.RawData), "foreign", "test", CancellationToken.None);
        await _ca.RoleAsync(new Role { Name = "via-foreign", IssuerRef = "foreign", AllowAnyName = true });

        var ex = await Assert.ThrowsAsync<PkiException>(() => _ca.Issuance.SignAsync("via-foreign", TestCa.Csr("x.test"), null, "test", CancellationToken.None));

        Assert.Null(imported.Imported.Single().KeyId);
        Assert.Contains("chain-only", ex.Message);
    }

    [Fact]
    public async Task An_issuer_without_the_issuing_usage_is_refused()
    {
        await HierarchyAsync();
        await _ca.Issuers.UpdateAsync("int", new IssuerUpdate { Usage = IssuerUsage.CrlSigning | IssuerUsage.OcspSigning }, "test", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PkiException>(() => _ca.Issuance.SignAsync("web", TestCa.Csr("a.example.com"), null, "test", CancellationToken.None));

        Assert.Equal(PkiErrorKind.PolicyRefused, ex.Kind);
    }

    [Fact]
    public async Task Name_constraints_on_a_root_bind_what_openssl_accepts_below_it()
    {
        await _ca.RootAsync("constrained", constraints: new CaConstraints { PermittedDnsDomains = ["example.com"] });
        await _ca.RoleAsync(new Role { Name = "anything", IssuerRef = "constrained", AllowAnyName = true });
        var root = X509CertificateLoader.LoadCertificate((await _ca.Stores.Issuers.FindByNameAsync("constrained", CancellationToken.None))!.CertificateDer);

        var inside = await _ca.Issuance.SignAsync("anything", TestCa.Csr("www.example.com"), null, "test", CancellationToken.None);
        var outside = await _ca.Issuance.SignAsync("anything", TestCa.Csr("www.other.org"), null, "test", CancellationToken.None);

        Assert.True(root.Extensions["2.5.29.30"]!.Critical);
        Assert.Equal(0, _ca.OpensslVerify(inside.Certificate.CertificateDer, inside.Chain).ExitCode);
        var refused = _ca.OpensslVerify(outside.Certificate.CertificateDer, outside.Chain);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("permitted", refused.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_server_generated_root_is_a_valid_self_signed_ca()
    {
        var issuer = await _ca.RootAsync("root", KeySpec.Rsa3072, new CaConstraints { Ttl = TimeSpan.FromDays(365), MaxPathLength = 1 });
        var root = X509CertificateLoader.LoadCertificate(issuer.CertificateDer);

        var bc = root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(bc.CertificateAuthority && bc.Critical && bc.HasPathLengthConstraint && bc.PathLengthConstraint == 1);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, root.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(0, _ca.OpensslVerify(issuer.CertificateDer, [issuer.CertificateDer]).ExitCode);
        Assert.Equal("sha256RSA", root.SignatureAlgorithm.FriendlyName);
        Assert.Equal(issuer.Id, await _ca.Stores.Issuers.GetDefaultIdAsync(CancellationToken.None)); // first issuer becomes the default
    }

    [Fact]
    public async Task A_csr_for_an_existing_issuer_key_reissues_it_with_the_same_key()
    {
        await HierarchyAsync();
        var csr = await _ca.Issuers.CsrForIssuerAsync("int", "test", CancellationToken.None);

        var reissued = await _ca.Issuers.SignIntermediateAsync("root", new SignIntermediateRequest { Csr = csr.CsrDer }, "test", CancellationToken.None);
        var result = await _ca.Issuers.ImportAsync(Pem.Encode("CERTIFICATE", reissued.CertificateDer), "int-reissued", "test", CancellationToken.None);

        var original = (await _ca.Stores.Issuers.FindByNameAsync("int", CancellationToken.None))!;
        Assert.Equal(original.KeyId, result.Imported.Single().KeyId);
    }

    [Fact]
    public async Task Importing_a_private_key_is_refused()
    {
        using var key = ECDsa.Create();
        var ex = await Assert.ThrowsAsync<PkiException>(() => _ca.Issuers.ImportAsync(key.ExportPkcs8PrivateKeyPem(), null, "test", CancellationToken.None));

        Assert.Contains("private key", ex.Message);
    }

    [Fact]
    public async Task Audit_events_carry_identifiers_and_never_key_material()
    {
        await HierarchyAsync();
        var result = await _ca.Issuance.IssueWithGeneratedKeyAsync(new LeafRequest { Role = "web", SubjectPublicKeyInfo = [], KeySpec = KeySpec.EcP256, CommonName = "a.example.com", Actor = "token:ci" }, KeySpec.EcP256, CancellationToken.None);

        var issued = Assert.Single(_ca.Audit.Events, e => e.Operation == "certificate.issue");
        Assert.Equal(("token:ci", "success", "web", result.Certificate.Serial), (issued.Actor, issued.Outcome, issued.Role, issued.Serial));
        Assert.Contains(_ca.Audit.Events, e => e.Operation == "issuer.generate_root" && e.Outcome == "success");
        var all = System.Text.Json.JsonSerializer.Serialize(_ca.Audit.Events);
        Assert.DoesNotContain("PRIVATE KEY", all);
        Assert.DoesNotContain(result.PrivateKeyPem!.Split('\n')[1], all);
    }

    [Fact]
    public async Task A_chain_only_issuer_cannot_become_the_default()
    {
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = new CertificateRequest("CN=Foreign Root", foreignKey, HashAlgorithmName.SHA256);
        foreign.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var foreignCert = foreign.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        await _ca.Issuers.ImportAsync(Pem.Encode("CERTIFICATE", foreignCert.RawData), "foreign", "test", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PkiException>(() => _ca.Issuers.SetDefaultAsync("foreign", "test", CancellationToken.None));

        Assert.Contains("chain-only", ex.Message);
    }

    [Fact]
    public async Task A_common_name_with_control_characters_is_refused()
    {
        var ex = await Assert.ThrowsAsync<PkiException>(() => _ca.RootAsync("bad", constraints: null, settings: null, commonName: "evil\0root"));

        Assert.Equal(PkiErrorKind.Malformed, ex.Kind);
    }
}
