using System.Reflection;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Storage.Redis.Documents;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>A core property without a document property would be silently dropped on save: these keep them in step.</summary>
public sealed class DocumentTests
{
    [Fact]
    public void The_role_document_has_a_property_for_every_role_property()
    {
        Assert.Equal(PublicProperties(typeof(Role)), PublicProperties(typeof(RoleDocument)));
    }

    [Fact]
    public void The_issuer_document_has_a_property_for_every_issuer_property_with_the_urls_flattened()
    {
        var expected = PublicProperties(typeof(Issuer)).Where(p => p != "Urls").Concat(PublicProperties(typeof(IssuerUrls)));
        Assert.Equal(expected.Order(StringComparer.Ordinal), PublicProperties(typeof(IssuerDocument)));
    }

    [Fact]
    public void The_key_and_certificate_documents_have_a_property_for_every_stored_property()
    {
        // IssuerKey.Custody is computed from the key reference, not stored.
        Assert.Equal(PublicProperties(typeof(IssuerKey)).Where(p => p != "Custody"), PublicProperties(typeof(IssuerKeyDocument)));
        Assert.Equal(PublicProperties(typeof(IssuedCertificate)), PublicProperties(typeof(CertificateDocument)));
    }

    private static string[] PublicProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)];
}
