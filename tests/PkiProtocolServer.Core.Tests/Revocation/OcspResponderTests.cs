using System.Formats.Asn1;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Tests.Support;

namespace PkiProtocolServer.Core.Tests.Revocation;

/// <summary>The OCSP responder as openssl, the relying party, sees it: statuses, signatures, nonces, errors.</summary>
public sealed class OcspResponderTests : RevocationScenario
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_stored_certificate_is_good_and_after_its_revocation_revoked_with_time_and_reason()
    {
        var leaf = await IssueAsync("www.example.com");
        var request = OcspRequest(leaf);

        var good = await Node.Ocsp.RespondAsync(request, None);
        Assert.Equal(OcspResponseStatus.Successful, good.Status);
        Assert.Contains(": good", OpensslReadsResponse(good.Der, leaf));

        var entry = await Node.Revocations.RevokeSerialAsync(leaf.Certificate.Serial, RevocationReason.KeyCompromise, null, "test", None);
        var revoked = await Node.Ocsp.RespondAsync(request, None);

        var text = OpensslReadsResponse(revoked.Der, leaf);
        Assert.Contains(": revoked", text);
        Assert.Contains("Reason: keyCompromise", text);
        Assert.Contains("Revocation Time: " + entry.RevokedAt.UtcDateTime.ToString("MMM d HH:mm:ss yyyy", System.Globalization.CultureInfo.InvariantCulture).Replace("  ", " ", StringComparison.Ordinal), text.Replace("  ", " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sha256_certid_is_answered_too()
    {
        var leaf = await IssueAsync("sha256.example.com");

        var response = await Node.Ocsp.RespondAsync(OcspRequest(leaf, digest: "-sha256"), None);

        Assert.Contains(": good", OpensslReadsResponse(response.Der, leaf, "-sha256"));
    }

    [Fact]
    public async Task A_no_store_certificate_is_unknown_until_it_is_revoked_by_giving_the_certificate()
    {
        var leaf = await IssueAsync("ephemeral.example.com", role: "ephemeral");
        Assert.False(leaf.Stored);

        Assert.Contains(": unknown", OpensslReadsResponse((await Node.Ocsp.RespondAsync(OcspRequest(leaf), None)).Der, leaf));

        await Node.Revocations.RevokeCertificateAsync(leaf.Certificate.CertificateDer, null, RevocationReason.KeyCompromise, null, "test", None);

        Assert.Contains(": revoked", OpensslReadsResponse((await Node.Ocsp.RespondAsync(OcspRequest(leaf), None)).Der, leaf));
    }

    [Fact]
    public async Task A_request_about_a_foreign_issuer_is_unauthorized()
    {
        var name = Guid.NewGuid().ToString("N");
        Openssl.RunOk("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", Openssl.PathOf(name + ".key"), "-subj", "/CN=Foreign CA", "-days", "1", "-out", Openssl.PathOf(name + ".pem"));
        Openssl.RunOk("ocsp", "-issuer", Openssl.PathOf(name + ".pem"), "-serial", "0x1234", "-reqout", Openssl.PathOf(name + ".req"), "-no_nonce");

        var result = await Node.Ocsp.RespondAsync(File.ReadAllBytes(Openssl.PathOf(name + ".req")), None);

        Assert.Equal(OcspResponseStatus.Unauthorized, result.Status);
        Assert.Contains("unauthorized (6)", Openssl.Run("ocsp", "-respin", Openssl.Write(name + ".resp", result.Der), "-noverify").Output);
    }

    public static TheoryData<string, byte[]> MalformedRequests => new()
    {
        { "empty", [] },
        { "not DER", "not an OCSP request"u8.ToArray() },
        { "an INTEGER", [0x02, 0x01, 0x05] },
        { "an empty SEQUENCE", [0x30, 0x00] },
        { "a truncated SEQUENCE", [0x30, 0x10, 0x30, 0x0e] },
        { "no requests", [0x30, 0x04, 0x30, 0x02, 0x30, 0x00] },
        { "a CertID of the wrong shape", [0x30, 0x08, 0x30, 0x06, 0x30, 0x04, 0x30, 0x02, 0x02, 0x00] },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task A_malformed_request_gets_malformedRequest(string what, byte[] request)
    {
        var result = await Node.Ocsp.RespondAsync(request, None);

        Assert.True(result.Status == OcspResponseStatus.MalformedRequest, what);
        Assert.Equal(new byte[] { 0x30, 0x03, 0x0a, 0x01, 0x01 }, result.Der);
        Assert.False(result.Cacheable);
    }

    [Fact]
    public async Task Trailing_bytes_after_a_valid_request_make_it_malformed()
    {
        var leaf = await IssueAsync("trailing.example.com");

        var result = await Node.Ocsp.RespondAsync(OcspRequest(leaf).Append((byte)0x00).ToArray(), None);

        Assert.Equal(OcspResponseStatus.MalformedRequest, result.Status);
    }

    [Fact]
    public async Task A_nonce_longer_than_32_octets_is_malformed()
    {
        var leaf = await IssueAsync("nonce.example.com");
        var name = Guid.NewGuid().ToString("N");
        Openssl.Write(name + ".pem", Core.X509.Pem.Encode("CERTIFICATE", leaf.Certificate.CertificateDer));
        Openssl.RunOk("ocsp", "-issuer", Openssl.Write(name + "-i.pem", IntermediatePem), "-cert", Openssl.PathOf(name + ".pem"), "-nonce", "-reqout", Openssl.PathOf(name + ".req"));
        var request = File.ReadAllBytes(Openssl.PathOf(name + ".req"));

        var result = await Node.Ocsp.RespondAsync(WithNonce(request, new byte[40]), None);

        Assert.Equal(OcspResponseStatus.MalformedRequest, result.Status);
    }

    [Fact]
    public async Task A_nonce_is_echoed_and_its_response_is_signed_for_that_request_alone()
    {
        var leaf = await IssueAsync("fresh.example.com");

        var request = OcspRequest(leaf, nonce: true, "-sha1", out var requestPath);
        var first = await Node.Ocsp.RespondAsync(request, None);
        var second = await Node.Ocsp.RespondAsync(OcspRequest(leaf, nonce: true), None);

        Assert.False(first.Cacheable);
        Assert.NotEqual(first.Der, second.Der);
        // With -reqin, openssl compares the response's nonce with the one it sent.
        var text = Openssl.RunOk("ocsp", "-reqin", requestPath, "-respin", Openssl.Write(Guid.NewGuid().ToString("N"), first.Der),
            "-issuer", Openssl.Write(Guid.NewGuid().ToString("N"), IntermediatePem), "-CAfile", Openssl.Write(Guid.NewGuid().ToString("N"), RootPem), "-resp_text");
        Assert.Contains("Response verify OK", text);
        Assert.Contains("OCSP Nonce", text);
        Assert.DoesNotContain("Nonce Verify error", text);
        Assert.DoesNotContain("no nonce in response", text);
    }

    [Fact]
    public async Task Without_a_nonce_the_same_signed_response_is_served_from_the_cache()
    {
        var leaf = await IssueAsync("cached.example.com");
        var request = OcspRequest(leaf);

        var first = await Node.Ocsp.RespondAsync(request, None);
        Node.OcspMemory.Clear(); // the second answer comes from the shared cache, not node memory
        var second = await Node.Ocsp.RespondAsync(request, None);

        Assert.True(first.Cacheable);
        Assert.Equal(first.Der, second.Der);
        Assert.NotNull(await Ca.Stores.OcspResponses.GetAsync(Convert.ToHexStringLower(CertIdOf(request)), None));
    }

    [Fact]
    public async Task A_delegated_responder_with_ocsp_signing_and_nocheck_signs_and_is_included_in_the_response()
    {
        var leaf = await IssueAsync("delegated.example.com");

        var result = await Node.Ocsp.RespondAsync(OcspRequest(leaf), None);

        var text = OpensslReadsResponse(result.Der, leaf, "-resp_text");
        Assert.Contains("OCSP Signing", text);
        Assert.Contains("OCSP No Check", text);
        Assert.Contains("Responder Id: ", text);
        Assert.Contains("Subject: CN=OCSP Responder int", text);
        var responder = await Ca.Stores.OcspResponders.GetCurrentAsync(Intermediate.Id, None);
        Assert.NotNull(responder);
        Assert.NotNull(await Ca.Stores.Certificates.GetAsync(Core.X509.SerialNumbers.ToHex(Load(leaf).SerialNumberBytes.Span), None));
    }

    [Fact]
    public async Task With_delegation_off_the_issuer_signs_and_openssl_still_verifies()
    {
        using var node = RevocationNode.Second(Ca, new RevocationOptions { Ocsp = { DelegatedResponder = false } });
        var leaf = await IssueAsync("direct.example.com");

        var result = await node.Ocsp.RespondAsync(OcspRequest(leaf), None);

        var text = OpensslReadsResponse(result.Der, leaf, "-resp_text");
        Assert.Contains(": good", text);
        Assert.DoesNotContain("OCSP Signing", text);
        Assert.Null(await Ca.Stores.OcspResponders.GetCurrentAsync(Intermediate.Id, None));
    }

    [Fact]
    public async Task Requests_for_two_certificates_are_answered_in_one_signed_response()
    {
        var a = await IssueAsync("a.example.com");
        var b = await IssueAsync("b.example.com");
        await Node.Revocations.RevokeSerialAsync(b.Certificate.Serial, RevocationReason.Superseded, null, "test", None);
        var name = Guid.NewGuid().ToString("N");
        var issuer = Openssl.Write(name + "-i.pem", IntermediatePem);
        Openssl.RunOk("ocsp", "-issuer", issuer, "-cert", Openssl.Write(name + "a.pem", Core.X509.Pem.Encode("CERTIFICATE", a.Certificate.CertificateDer)),
            "-cert", Openssl.Write(name + "b.pem", Core.X509.Pem.Encode("CERTIFICATE", b.Certificate.CertificateDer)), "-no_nonce", "-reqout", Openssl.PathOf(name + ".req"));

        var result = await Node.Ocsp.RespondAsync(File.ReadAllBytes(Openssl.PathOf(name + ".req")), None);

        var text = Openssl.RunOk("ocsp", "-respin", Openssl.Write(name + ".resp", result.Der), "-issuer", issuer, "-CAfile", Openssl.Write(name + "-r.pem", RootPem),
            "-cert", Openssl.PathOf(name + "a.pem"), "-cert", Openssl.PathOf(name + "b.pem"));
        Assert.Contains("Response verify OK", text);
        Assert.Contains(name + "a.pem: good", text);
        Assert.Contains(name + "b.pem: revoked", text);
    }

    private static byte[] CertIdOf(byte[] request)
    {
        var tbs = new AsnReader(request, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        return tbs.ReadSequence().ReadSequence().ReadEncodedValue().ToArray();
    }

    /// <summary>Rewrites an openssl request's nonce extension with <paramref name="nonce"/>.</summary>
    private static byte[] WithNonce(byte[] request, byte[] nonce)
    {
        var tbs = new AsnReader(request, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        var list = tbs.ReadEncodedValue();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(list.Span);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
            using (writer.PushSequence())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Core.Revocation.Ocsp.OcspRequest.NonceOid);
                var inner = new AsnWriter(AsnEncodingRules.DER);
                inner.WriteOctetString(nonce);
                writer.WriteOctetString(inner.Encode());
            }
        }

        return writer.Encode();
    }
}
