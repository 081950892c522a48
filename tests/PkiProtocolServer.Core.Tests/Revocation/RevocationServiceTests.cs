using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Tests.Support;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>The ways to revoke, and the answers to revoking what cannot be revoked.</summary>
public sealed class RevocationServiceTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_revocation_is_recorded_with_its_reason_and_audited_before_it_returns()
    {
        var leaf = await IssueAsync("audit.example.com");

        var entry = await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial.ToUpperInvariant(), RevocationReason.Superseded, null, "token:agent", None);

        Assert.Equal(leaf.Certificate.Serial, entry.Serial);
        Assert.Equal(Intermediate.Id, entry.IssuerId);
        Assert.Equal(leaf.Certificate.NotAfter.ToUnixTimeSeconds(), entry.NotAfter.ToUnixTimeSeconds());
        Assert.Equal(0, entry.RevokedAt.Millisecond);
        Assert.Equal(entry.Sequence, (await Ca.Stores.Revocations.GetAsync(entry.Serial, None))!.Sequence);
        var line = Assert.Single(Ca.Audit.Events, e => e.Operation == "certificate.revoke");
        Assert.Equal("success", line.Outcome);
        Assert.Equal(entry.Serial, line.Serial);
        Assert.Contains("reason=superseded", line.Detail);
        Assert.Equal("token:agent", line.Actor);
    }

    [Fact]
    public async Task Revoking_twice_answers_already_revoked_and_the_first_revocation_stands()
    {
        var leaf = await IssueAsync("twice.example.com");
        var first = await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);

        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.Superseded, null, "test", None));

        Assert.Equal(PkiErrorKind.AlreadyRevoked, e.Kind);
        Assert.Contains("key_compromise", e.Message);
        Assert.Equal(RevocationReason.KeyCompromise, (await Ca.Stores.Revocations.GetAsync(first.Serial, None))!.Reason);
        Assert.Contains(Ca.Audit.Events, a => a.Operation == "certificate.revoke" && a.Outcome == "refused");
    }

    [Fact]
    public async Task Revoking_a_serial_that_was_never_stored_here_is_not_found()
    {
        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeSerialAsync(SerialNumbers.ToHex(SerialNumbers.New()), RevocationReason.Unspecified, null, "test", None));

        Assert.Equal(PkiErrorKind.NotFound, e.Kind);
        Assert.Contains("no_store", e.Message);
    }

    [Fact]
    public async Task A_serial_that_is_not_hex_is_malformed()
    {
        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeSerialAsync("not-a-serial!", RevocationReason.Unspecified, null, "test", None));

        Assert.Equal(PkiErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public async Task A_no_store_certificate_is_revoked_by_giving_the_certificate_which_is_kept_with_the_revocation()
    {
        var leaf = await IssueAsync("byoc.example.com", role: "ephemeral");

        var entry = await Node.Revocations.RevokeCertificateAsync(leaf.Certificate.CertificateDer, null, RevocationReason.KeyCompromise, null, "test", None);

        Assert.Equal(Intermediate.Id, entry.IssuerId);
        Assert.Equal(leaf.Certificate.CertificateDer, (await Ca.Stores.Revocations.GetAsync(entry.Serial, None))!.CertificateDer);
    }

    [Fact]
    public async Task A_certificate_this_server_did_not_sign_cannot_be_revoked_here()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = (await Ca.Catalog.GetAsync(None)).Resolve("int").Certificate.SubjectName;
        var forged = new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeCertificateAsync(forged.RawData, null, RevocationReason.KeyCompromise, null, "test", None));

        Assert.Equal(PkiErrorKind.Malformed, e.Kind);
        Assert.Contains("not signed by an issuer of this server", e.Message);
    }

    [Fact]
    public async Task A_certificate_given_for_the_wrong_issuer_is_refused()
    {
        var leaf = await IssueAsync("wrong.example.com", role: "ephemeral");

        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeCertificateAsync(leaf.Certificate.CertificateDer, "root", RevocationReason.KeyCompromise, null, "test", None));

        Assert.Equal(PkiErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public async Task Garbage_instead_of_a_certificate_is_malformed()
    {
        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeCertificateAsync([0x30, 0x03, 0x02, 0x01, 0x01], null, RevocationReason.KeyCompromise, null, "test", None));

        Assert.Equal(PkiErrorKind.Malformed, e.Kind);
    }

    [Fact]
    public async Task An_invalidity_date_in_the_future_is_refused()
    {
        var leaf = await IssueAsync("future.example.com");

        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, DateTimeOffset.UtcNow.AddDays(1), "test", None));

        Assert.Equal(PkiErrorKind.Malformed, e.Kind);
        Assert.Null(await Ca.Stores.Revocations.GetAsync(leaf.Certificate.Serial, None));
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    [InlineData("ed25519")]
    public async Task The_holder_of_the_private_key_revokes_by_presenting_it(string keyType)
    {
        var leaf = await IssueWithKeyAsync(keyType);

        var entry = await Node.Revocations.RevokeWithKeyAsync(leaf.Certificate.CertificateDer, new PrivateKeyProof(leaf.PrivateKeyPem!), RevocationReason.KeyCompromise, "test", None);

        Assert.Equal(leaf.Certificate.Serial, entry.Serial);
    }

    [Fact]
    public async Task Another_key_than_the_certificates_does_not_revoke_it()
    {
        var leaf = await IssueWithKeyAsync("ec");
        var other = await IssueWithKeyAsync("ec");

        var e = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeWithKeyAsync(leaf.Certificate.CertificateDer, new PrivateKeyProof(other.PrivateKeyPem!), RevocationReason.KeyCompromise, "test", None));

        Assert.Equal(PkiErrorKind.Forbidden, e.Kind);
        Assert.Null(await Ca.Stores.Revocations.GetAsync(leaf.Certificate.Serial, None));
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    [InlineData("ed25519")]
    public async Task A_signature_by_the_certificates_key_over_the_revocation_statement_revokes_it(string keyType)
    {
        var leaf = await IssueWithKeyAsync(keyType);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var signature = SignWithOpenssl(leaf, KeyPossessionProof.Statement(leaf.Certificate.Serial, now), keyType);
        var entry = await Node.Revocations.RevokeWithKeyAsync(leaf.Certificate.CertificateDer, new SignatureProof(signature, now), RevocationReason.KeyCompromise, "test", None);

        Assert.Equal(leaf.Certificate.Serial, entry.Serial);
    }

    [Fact]
    public async Task A_signature_made_too_long_ago_or_over_another_statement_is_refused()
    {
        var leaf = await IssueWithKeyAsync("ec");
        var old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var stale = SignWithOpenssl(leaf, KeyPossessionProof.Statement(leaf.Certificate.Serial, old), "ec");
        var staleError = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeWithKeyAsync(leaf.Certificate.CertificateDer, new SignatureProof(stale, old), RevocationReason.KeyCompromise, "test", None));
        var otherSerial = SignWithOpenssl(leaf, KeyPossessionProof.Statement("01", now), "ec");
        var otherError = await Assert.ThrowsAsync<PkiException>(() => Node.Revocations.RevokeWithKeyAsync(leaf.Certificate.CertificateDer, new SignatureProof(otherSerial, now), RevocationReason.KeyCompromise, "test", None));

        Assert.Equal(PkiErrorKind.Forbidden, staleError.Kind);
        Assert.Equal(PkiErrorKind.Forbidden, otherError.Kind);
        Assert.Null(await Ca.Stores.Revocations.GetAsync(leaf.Certificate.Serial, None));
    }

    [Fact]
    public async Task The_ocsp_answers_this_node_remembers_are_dropped_by_the_revocation()
    {
        var leaf = await IssueAsync("remembered.example.com");
        var request = OcspRequest(leaf);
        await Node.Ocsp.RespondAsync(request, None);
        Assert.True(Node.OcspMemory.Count > 0);

        await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);

        Assert.Contains(": revoked", OpensslReadsResponse((await Node.Ocsp.RespondAsync(request, None)).Der, leaf));
    }

    private Task<IssuanceResult> IssueWithKeyAsync(string keyType) =>
        new IssuanceService(Ca.Stores.Roles, Ca.Stores.Certificates, Ca.Catalog, Ca.Keys, Ca.Audit, TimeProvider.System)
            .IssueWithGeneratedKeyAsync(new LeafRequest { Role = "web", SubjectPublicKeyInfo = [], KeySpec = KeySpec.Parse(keyType), CommonName = keyType + ".example.com", Actor = "test" }, KeySpec.Parse(keyType), None);

    /// <summary>Signs as a client would with openssl: <c>dgst -sha256 -sign</c>, or <c>pkeyutl -rawin</c> for Ed25519.</summary>
    private byte[] SignWithOpenssl(IssuanceResult leaf, byte[] statement, string keyType)
    {
        var name = Guid.NewGuid().ToString("N");
        var key = Openssl.Write(name + ".key", leaf.PrivateKeyPem!);
        var data = Openssl.Write(name + ".txt", statement);
        var signature = Openssl.PathOf(name + ".sig");
        if (keyType == "ed25519")
        {
            Openssl.RunOk("pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", data, "-out", signature);
        }
        else
        {
            Openssl.RunOk("dgst", "-sha256", "-sign", key, "-out", signature, data);
        }

        return File.ReadAllBytes(signature);
    }
}
