using System.Formats.Asn1;
using PkiProtocolServer.Contracts;
using PkiProtocolServer.Est.Tests.Support;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Tests.Wire;

public sealed class CertsOnlyTests : IDisposable
{
    private readonly OpensslCli _openssl = new();

    public void Dispose() => _openssl.Dispose();

    [Fact]
    public void A_certs_only_message_is_read_by_openssl_pkcs7_with_every_certificate()
    {
        using var root = TestCertificates.Root("Certs-only root");
        using var leaf = TestCertificates.Leaf(root, "device-1");

        var cms = CertsOnly.Encode([root.RawData, leaf.RawData]);
        var output = _openssl.RunOk("pkcs7", "-inform", "DER", "-in", _openssl.Write("certs.p7", cms), "-print_certs", "-noout");

        Assert.Contains("subject=CN = Certs-only root", output);
        Assert.Contains("subject=CN = device-1", output);
    }

    [Fact]
    public void A_certs_only_message_is_der_signed_data_without_signers_or_content()
    {
        using var root = TestCertificates.Root("DER root");

        var cms = CertsOnly.Encode([root.RawData]);

        // DER: definite lengths only (BER's indefinite form starts 30 80).
        var contentInfo = new AsnReader(cms, AsnEncodingRules.DER).ReadSequence();
        Assert.Equal("1.2.840.113549.1.7.2", contentInfo.ReadObjectIdentifier());
        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)).ReadSequence();
        Assert.Equal(1, (int)signedData.ReadInteger());
        Assert.False(signedData.ReadSetOf().HasData); // digestAlgorithms
        var encapsulated = signedData.ReadSequence();
        Assert.Equal("1.2.840.113549.1.7.1", encapsulated.ReadObjectIdentifier());
        Assert.False(encapsulated.HasData); // no eContent
        Assert.Equal([root.RawData], CertsOnly.Decode(cms));
    }
}
