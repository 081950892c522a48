using System.Formats.Asn1;
using PkiProtocolServer.Contracts;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Tests.Support;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Tests.Wire;

public sealed class CsrAttributesTests : IDisposable
{
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private readonly OpensslCli _openssl = new();

    public void Dispose() => _openssl.Dispose();

    private static List<Asn1Tag> Items(byte[] der, out AsnReader reader)
    {
        reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var clone = reader.Clone();
        var tags = new List<Asn1Tag>();
        while (clone.HasData)
        {
            tags.Add(clone.PeekTag());
            clone.ReadEncodedValue();
        }

        return tags;
    }

    [Theory]
    [InlineData(0, "1.2.840.10045.3.1.7", "1.2.840.10045.4.3.2")]
    [InlineData(384, "1.3.132.0.34", "1.2.840.10045.4.3.3")]
    public void An_ec_role_asks_for_its_curve_and_signature_algorithm(int bits, string curve, string signature)
    {
        var role = new Role { Name = "devices", KeyType = "ec", KeyBits = bits };

        var der = CsrAttributes.Encode(role, channelBinding: false, EstCsrAttributesForm.Rfc7030);

        Items(der, out var items);
        var key = items.ReadSequence();
        Assert.Equal(EcPublicKey, key.ReadObjectIdentifier());
        Assert.Equal(curve, key.ReadSetOf().ReadObjectIdentifier());
        var extensionRequest = items.ReadSequence();
        Assert.Equal(CsrAttributes.ExtensionRequestOid, extensionRequest.ReadObjectIdentifier());
        var extensions = extensionRequest.ReadSetOf().ReadSequence();
        Assert.Equal("2.5.29.15", extensions.ReadSequence().ReadObjectIdentifier());
        Assert.Equal("2.5.29.37", extensions.ReadSequence().ReadObjectIdentifier());
        Assert.Equal(signature, items.ReadObjectIdentifier());
        Assert.False(items.HasData);
    }

    [Fact]
    public void An_rsa_role_asks_for_its_modulus_size_as_an_integer()
    {
        var der = CsrAttributes.Encode(new Role { Name = "rsa", KeyType = "rsa", KeyBits = 3072 }, false, EstCsrAttributesForm.Rfc7030);

        Items(der, out var items);
        var key = items.ReadSequence();
        Assert.Equal(RsaEncryption, key.ReadObjectIdentifier());
        Assert.Equal(3072, (int)key.ReadSetOf().ReadInteger());
    }

    [Fact]
    public void A_channel_binding_label_asks_for_the_challenge_password_first()
    {
        var der = CsrAttributes.Encode(new Role { Name = "cb", KeyType = "ec" }, channelBinding: true, EstCsrAttributesForm.Rfc7030);

        Items(der, out var items);
        Assert.Equal(CsrAttributes.ChallengePasswordOid, items.ReadObjectIdentifier());
    }

    [Fact]
    public void A_role_taking_any_key_names_no_key_and_no_key_usage_but_keeps_its_extended_key_usage()
    {
        var der = CsrAttributes.Encode(new Role { Name = "any", KeyType = "any", ExtKeyUsage = ["ClientAuth"] }, false, EstCsrAttributesForm.Rfc7030);

        var tags = Items(der, out var items);
        Assert.Single(tags);
        var extensionRequest = items.ReadSequence();
        Assert.Equal(CsrAttributes.ExtensionRequestOid, extensionRequest.ReadObjectIdentifier());
        var extensions = extensionRequest.ReadSetOf().ReadSequence();
        Assert.Equal("2.5.29.37", extensions.ReadSequence().ReadObjectIdentifier());
        Assert.False(extensions.HasData);
    }

    [Fact]
    public void The_template_form_is_one_rfc_9908_template_with_subject_key_and_extension_templates()
    {
        var role = new Role { Name = "t", KeyType = "ec", Organization = ["Example Devices"], Country = ["DE"], ExtKeyUsage = ["ClientAuth"] };

        var der = CsrAttributes.Encode(role, false, EstCsrAttributesForm.Template);

        Assert.Single(Items(der, out var items));
        var attribute = items.ReadSequence();
        Assert.Equal(CsrAttributes.TemplateOid, attribute.ReadObjectIdentifier());
        var template = attribute.ReadSetOf().ReadSequence();
        Assert.Equal(0, (int)template.ReadInteger());
        var subject = template.ReadSequence();
        var country = subject.ReadSetOf().ReadSequence();
        Assert.Equal("2.5.4.6", country.ReadObjectIdentifier());
        Assert.Equal("DE", country.ReadCharacterString(UniversalTagNumber.PrintableString));
        var organization = subject.ReadSetOf().ReadSequence();
        Assert.Equal("2.5.4.10", organization.ReadObjectIdentifier());
        Assert.Equal("Example Devices", organization.ReadCharacterString(UniversalTagNumber.UTF8String));
        var commonName = subject.ReadSetOf().ReadSequence();
        Assert.Equal("2.5.4.3", commonName.ReadObjectIdentifier());
        Assert.False(commonName.HasData); // value-absent: the device fills it in
        var key = template.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        Assert.Equal(EcPublicKey, key.ReadObjectIdentifier());
        Assert.Equal("1.2.840.10045.3.1.7", key.ReadObjectIdentifier());
        var attributes = template.ReadSetOf(new Asn1Tag(TagClass.ContextSpecific, 1));
        var extensionTemplate = attributes.ReadSequence();
        Assert.Equal(CsrAttributes.ExtensionRequestTemplateOid, extensionTemplate.ReadObjectIdentifier());
        var templates = extensionTemplate.ReadSetOf().ReadSequence();
        var oids = new List<string>();
        while (templates.HasData)
        {
            oids.Add(templates.ReadSequence().ReadObjectIdentifier());
        }

        Assert.Equal(["2.5.29.17", "2.5.29.15", "2.5.29.37"], oids);
        Assert.False(template.HasData);
    }

    [Theory]
    [InlineData(EstCsrAttributesForm.Rfc7030)]
    [InlineData(EstCsrAttributesForm.Template)]
    public void Openssl_reads_both_forms_as_well_formed_der(EstCsrAttributesForm form)
    {
        var der = CsrAttributes.Encode(new Role { Name = "r", KeyType = "rsa" }, true, form);

        var output = _openssl.RunOk("asn1parse", "-inform", "DER", "-in", _openssl.Write("attrs.der", der));

        Assert.Contains(form == EstCsrAttributesForm.Rfc7030 ? "rsaEncryption" : "1.2.840.113549.1.9.16.2.61", output);
    }
}
