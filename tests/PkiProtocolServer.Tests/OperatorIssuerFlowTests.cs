using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Tests;

/// <summary>The operator's issuer lifecycle through the admin API: roots, intermediates, imports, settings, deletion, keys.</summary>
public sealed class OperatorIssuerFlowTests : IClassFixture<PkiServerFactory>, IDisposable
{
    private readonly PkiServerFactory _server;
    private readonly HttpClient _operator;
    private readonly Openssl _openssl = new();

    public OperatorIssuerFlowTests(PkiServerFactory server)
    {
        _server = server;
        _operator = server.Https("operator");
    }

    public void Dispose() => _openssl.Dispose();

    [Theory]
    [InlineData("rsa", 0, "rsa-2048")]
    [InlineData("rsa", 3072, "rsa-3072")]
    [InlineData("ec", 0, "ec-256")]
    [InlineData("ec", 384, "ec-384")]
    [InlineData("ed25519", 0, "ed25519")]
    public async Task Generating_a_root_makes_a_self_signed_ca_with_a_key_of_the_asked_type(string keyType, int keyBits, string expected)
    {
        var name = $"root-{expected}";
        var root = await _operator.PostJson("/api/v1/issuers/generate/root", new { name, common_name = $"Test Root {expected}", key_type = keyType, key_bits = keyBits, ttl = "365d" })
            .Expect(HttpStatusCode.Created);
        Assert.Equal(name, root.Str("issuer_name"));
        Assert.Equal(expected, root.Str("key_type"));
        Assert.True(root["self_signed"]!.GetValue<bool>());
        Assert.False(root["is_default"]!.GetValue<bool>());

        var pem = root.Str("certificate");
        _openssl.Verify(pem, [], pem); // the self-signature verifies, and the root is a CA openssl accepts as trust anchor
        var text = _openssl.RunOk("x509", "-in", _openssl.File("root.pem", pem), "-noout", "-text");
        Assert.Contains("CA:TRUE", text);
        Assert.Contains("Certificate Sign", text);

        var key = await _operator.GetAsync($"/api/v1/keys/{root.Str("key_id")}").Ok();
        Assert.Equal(keyType, key.Str("key_type"));
        Assert.Equal("software", key.Str("custody"));

        // An issuer of every key type can issue, and the leaf verifies up to it.
        var leaf = await _operator.PostJson($"/api/v1/issuers/{name}/issue/server-tls", new { common_name = "localhost", ttl = "1h" }).Ok();
        _openssl.Verify(pem, [], leaf.Str("certificate"), "-purpose", "sslserver");
    }

    [Fact]
    public async Task An_intermediate_csr_signed_by_a_root_and_set_signed_becomes_an_issuer_with_its_key()
    {
        var root = await _operator.PostJson("/api/v1/issuers/generate/root", new { name = "flow-root", common_name = "Flow Root", key_type = "ec", ttl = "3650d" })
            .Expect(HttpStatusCode.Created);

        var generated = await _operator.PostJson("/api/v1/issuers/generate/intermediate", new { key_name = "flow-int-key", common_name = "Flow Intermediate", key_type = "rsa" }).Ok();
        var keyId = generated.Str("key_id");
        Assert.Contains("BEGIN CERTIFICATE REQUEST", generated.Str("csr"));
        var csrText = _openssl.RunOk("req", "-in", _openssl.File("int.csr", generated.Str("csr")), "-noout", "-verify", "-subject");
        Assert.Contains("Flow Intermediate", csrText);

        var signed = await _operator.PostJson($"/api/v1/issuers/{root.Str("issuer_id")}/sign-intermediate", new { csr = generated.Str("csr"), ttl = "365d", max_path_length = 0 }).Ok();
        Assert.Single(signed.Strings("ca_chain"));
        _openssl.Verify(root.Str("certificate"), [], signed.Str("certificate"));

        var imported = await _operator.PostJson("/api/v1/intermediate/set-signed", new { pem_bundle = signed.Str("certificate"), name = "flow-int" }).Ok();
        var entry = Assert.Single(imported["imported_issuers"]!.AsArray())!;
        Assert.Equal(keyId, entry.Str("key_id"));
        Assert.Equal("flow-int", entry.Str("issuer_name"));

        var view = await _operator.GetAsync("/api/v1/issuers/flow-int").Ok();
        Assert.Equal(keyId, view.Str("key_id"));
        Assert.Equal("rsa-2048", view.Str("key_type"));
        Assert.Equal(2, view.Strings("ca_chain").Count);

        // The signed intermediate is on record like any certificate this CA made.
        Assert.Equal(signed.Str("serial_number"), (await _server.Https().GetAsync($"/api/v1/certs/{signed.Str("serial_number")}").Ok()).Str("serial_number"));

        // Importing the same certificate again changes nothing.
        var again = await _operator.PostJson("/api/v1/issuers/import", new { pem_bundle = signed.Str("certificate") }).Ok();
        Assert.Empty(again["imported_issuers"]!.AsArray());
        Assert.Equal(view.Str("issuer_id"), Assert.Single(again["existing_issuers"]!.AsArray())!.Str("issuer_id"));

        var leaf = await _operator.PostJson("/api/v1/issuers/flow-int/issue/server-tls", new { common_name = "localhost", ttl = "1h" }).Ok();
        Assert.Equal(view.Str("issuer_id"), leaf.Str("issuer_id"));
        Chains.AssertValid(leaf.Str("certificate"), leaf.Strings("ca_chain"), root.Str("certificate"));
        _openssl.Verify(root.Str("certificate"), [signed.Str("certificate")], leaf.Str("certificate"));
    }

    [Fact]
    public async Task A_foreign_ca_certificate_is_imported_chain_only_and_cannot_issue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Foreign Partner CA, O=Elsewhere", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var foreign = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));

        var imported = await _operator.PostJson("/api/v1/issuers/import", new { pem_bundle = foreign.ExportCertificatePem() }).Ok();
        var entry = Assert.Single(imported["imported_issuers"]!.AsArray())!;
        Assert.Null(entry["key_id"]?.GetValue<string>());
        var id = entry.Str("issuer_id");

        var view = await _operator.GetAsync($"/api/v1/issuers/{id}").Ok();
        Assert.Null(view["key_id"]?.GetValue<string>());
        Assert.Contains("Foreign Partner CA", view.Str("subject"));

        var refused = await Problem.AssertAsync(_operator.PostJson($"/api/v1/issuers/{id}/issue/server-tls", new { common_name = "localhost" }), HttpStatusCode.BadRequest);
        Assert.Contains("chain-only", refused.Str("detail"));
        await Problem.AssertAsync(_operator.PostJson($"/api/v1/issuers/{id}/sign/server-tls", new { csr = Csrs.Ec("localhost") }), HttpStatusCode.BadRequest);
        await Problem.AssertAsync(_operator.PostJson($"/api/v1/issuers/{id}/sign-intermediate", new { csr = Csrs.Ec("Sub CA") }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Importing_a_private_key_or_a_leaf_certificate_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=leaf.example", key, HashAlgorithmName.SHA256);
        using var leaf = leafRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await Problem.AssertAsync(_operator.PostJson("/api/v1/issuers/import", new { pem_bundle = leaf.ExportCertificatePem() }), HttpStatusCode.BadRequest, "malformed");
        var withKey = leaf.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem();
        var problem = await Problem.AssertAsync(_operator.PostJson("/api/v1/issuers/import", new { pem_bundle = withKey }), HttpStatusCode.BadRequest, "malformed");
        Assert.Contains("private key", problem.Str("detail"));
    }

    [Fact]
    public async Task An_issuer_whose_usage_lacks_issuing_refuses_to_issue_until_it_is_given_back()
    {
        var root = await _operator.PostJson("/api/v1/issuers/generate/root", new { name = "retiring-root", common_name = "Retiring Root", ttl = "365d" }).Expect(HttpStatusCode.Created);
        var patched = await _operator.PatchJson("/api/v1/issuers/retiring-root", new { usage = new[] { "crl-signing", "ocsp-signing" } }).Ok();
        Assert.Equal(["crl-signing", "ocsp-signing"], patched.Strings("usage"));

        var refused = await Problem.AssertAsync(_operator.PostJson("/api/v1/issuers/retiring-root/issue/server-tls", new { common_name = "localhost", ttl = "1h" }), HttpStatusCode.BadRequest, "policy-refused");
        Assert.Contains("issuing", refused.Str("detail"));
        await Problem.AssertAsync(_operator.PostJson("/api/v1/issuers/retiring-root/sign-intermediate", new { csr = Csrs.Ec("Sub CA") }), HttpStatusCode.BadRequest, "policy-refused");

        await _operator.PatchJson("/api/v1/issuers/retiring-root", new { usage = new[] { "issuing", "crl-signing", "ocsp-signing" } }).Ok();
        var leaf = await _operator.PostJson($"/api/v1/issuers/{root.Str("issuer_id")}/issue/server-tls", new { common_name = "localhost", ttl = "1h" }).Ok();
        Assert.Equal(root.Str("issuer_id"), leaf.Str("issuer_id"));
    }

    [Fact]
    public async Task Leaf_not_after_behavior_err_refuses_a_leaf_outliving_the_issuer_and_truncate_caps_it()
    {
        var root = await _operator.PostJson("/api/v1/issuers/generate/root", new { name = "short-root", common_name = "Short Root", ttl = "10d" }).Expect(HttpStatusCode.Created);
        Assert.Equal("err", root.Str("leaf_not_after_behavior"));

        var refused = await Problem.AssertAsync(_operator.PostJson("/api/v1/issuers/short-root/issue/server-tls", new { common_name = "localhost", ttl = "30d" }), HttpStatusCode.BadRequest, "policy-refused");
        Assert.Contains("leaf_not_after_behavior", refused["subproblems"]!.AsArray().Select(s => s!.Str("rule")));

        var patched = await _operator.PatchJson("/api/v1/issuers/short-root", new { leaf_not_after_behavior = "truncate" }).Ok();
        Assert.Equal("truncate", patched.Str("leaf_not_after_behavior"));
        var leaf = await _operator.PostJson("/api/v1/issuers/short-root/issue/server-tls", new { common_name = "localhost", ttl = "30d" }).Ok();
        using var issuerCertificate = Chains.Load(root.Str("certificate"));
        using var leafCertificate = Chains.Load(leaf.Str("certificate"));
        Assert.Equal(issuerCertificate.NotAfter, leafCertificate.NotAfter);

        await Problem.AssertAsync(_operator.PatchJson("/api/v1/issuers/short-root", new { leaf_not_after_behavior = "sometimes" }), HttpStatusCode.BadRequest, "malformed");
        Assert.Equal("truncate", (await _operator.GetAsync("/api/v1/issuers/short-root").Ok()).Str("leaf_not_after_behavior"));
    }

    [Fact]
    public async Task Setting_the_default_issuer_changes_what_ca_pem_and_role_issuance_use()
    {
        var before = (await _operator.GetAsync("/api/v1/config/issuers").Ok()).Str("default");
        var root = await _operator.PostJson("/api/v1/issuers/generate/root", new { name = "next-default", common_name = "Next Default Root", ttl = "365d" }).Expect(HttpStatusCode.Created);
        try
        {
            var set = await _operator.PutJson("/api/v1/config/issuers", new { @default = "next-default" }).Ok();
            Assert.Equal(root.Str("issuer_id"), set.Str("default"));
            Assert.Equal(root.Str("issuer_id"), (await _operator.GetAsync("/api/v1/config/issuers").Ok()).Str("default"));
            Assert.True((await _operator.GetAsync("/api/v1/issuers/next-default").Ok())["is_default"]!.GetValue<bool>());
            using var caPem = Chains.Load(await _server.Https().GetStringAsync("/ca.pem"));
            Assert.Contains("Next Default Root", caPem.Subject);
        }
        finally
        {
            await _operator.PutJson("/api/v1/config/issuers", new { @default = before }).Ok();
        }

        using var restored = Chains.Load(await _server.Https().GetStringAsync("/ca.pem"));
        Assert.Contains("Development Intermediate", restored.Subject);
    }

    [Fact]
    public async Task Deleting_an_issuer_removes_it_and_its_key_can_then_be_deleted()
    {
        var root = await _operator.PostJson("/api/v1/issuers/generate/root", new { name = "doomed-root", common_name = "Doomed Root", ttl = "30d" }).Expect(HttpStatusCode.Created);
        var keyId = root.Str("key_id");
        Assert.Contains(keyId, (await _operator.GetAsync("/api/v1/keys").Ok())["keys"]!.AsArray().Select(k => k!.Str("key_id")));

        var inUse = await Problem.AssertAsync(_operator.DeleteAsync($"/api/v1/keys/{keyId}"), HttpStatusCode.Conflict, "conflict");
        Assert.Contains("doomed-root", inUse.Str("detail"));

        await _operator.Send(HttpMethod.Delete, "/api/v1/issuers/doomed-root").Expect(HttpStatusCode.NoContent);
        await Problem.AssertAsync(_server.Https().GetAsync($"/api/v1/issuers/{root.Str("issuer_id")}"), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(_server.Https().GetAsync($"/issuers/{root.Str("issuer_id")}.der"), HttpStatusCode.NotFound, "not-found");
        await Problem.AssertAsync(_operator.DeleteAsync("/api/v1/issuers/doomed-root"), HttpStatusCode.NotFound, "not-found");

        await _operator.Send(HttpMethod.Delete, $"/api/v1/keys/{keyId}").Expect(HttpStatusCode.NoContent);
        await Problem.AssertAsync(_operator.GetAsync($"/api/v1/keys/{keyId}"), HttpStatusCode.NotFound, "not-found");
        Assert.DoesNotContain(keyId, (await _operator.GetAsync("/api/v1/keys").Ok())["keys"]!.AsArray().Select(k => k!.Str("key_id")));
    }

    [Fact]
    public async Task Keys_and_custody_report_software_custody_as_development_grade()
    {
        var keys = (await _operator.GetAsync("/api/v1/keys").Ok())["keys"]!.AsArray();
        Assert.Contains(keys, k => k!.Str("key_name") == "dev-root");
        Assert.Contains(keys, k => k!.Str("key_name") == "dev-intermediate");
        Assert.All(keys.Select(k => k!), k =>
        {
            Assert.Equal("software", k.Str("custody"));
            Assert.True(k["development_grade_custody"]!.GetValue<bool>());
        });

        var custodies = (await _operator.GetAsync("/api/v1/custody").Ok())["custodies"]!.AsArray();
        var software = Assert.Single(custodies, c => c!.Str("name") == "software")!;
        Assert.True(software["development_grade"]!.GetValue<bool>());
        Assert.Contains("development grade", software.Str("note"));
    }

    [Fact]
    public async Task Permitted_dns_domains_of_a_root_are_written_as_a_critical_name_constraint()
    {
        var root = await _operator.PostJson("/api/v1/issuers/generate/root", new { name = "constrained-root", common_name = "Constrained Root", ttl = "365d", permitted_dns_domains = new[] { "example.com", ".internal.example" } })
            .Expect(HttpStatusCode.Created);
        using var certificate = Chains.Load(root.Str("certificate"));
        var extension = Assert.Single(certificate.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == "2.5.29.30");
        Assert.True(extension.Critical);

        var permitted = new List<string>();
        var constraints = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        var subtrees = constraints.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
        while (subtrees.HasData)
        {
            var subtree = subtrees.ReadSequence();
            permitted.Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 2)));
        }

        Assert.Equal(["example.com", ".internal.example"], permitted);
        Assert.False(constraints.HasData, "no excluded subtrees were asked for");

        var text = _openssl.RunOk("x509", "-in", _openssl.File("constrained.pem", root.Str("certificate")), "-noout", "-ext", "nameConstraints");
        Assert.Contains("critical", text);
        Assert.Contains("DNS:example.com", text);
    }
}
