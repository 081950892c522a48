using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Roles;
using Xunit;

namespace PkiProtocolServer.Contracts.StoreContracts;

/// <summary>Field-by-field equality (records compare lists and byte arrays by reference, so their Equals will not do).</summary>
public static class StoreAssert
{
    public static void Same(IssuerKey expected, IssuerKey? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.KeyReference, actual.KeyReference);
        Assert.Equal(expected.KeySpec, actual.KeySpec);
        Assert.Equal(expected.SubjectPublicKeyInfo, actual.SubjectPublicKeyInfo);
        SameInstant(expected.CreatedAt, actual.CreatedAt);
    }

    public static void Same(Issuer expected, Issuer? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.CertificateDer, actual.CertificateDer);
        Assert.Equal(expected.KeyId, actual.KeyId);
        Assert.Equal(expected.LeafNotAfterBehavior, actual.LeafNotAfterBehavior);
        Assert.Equal(expected.Usage, actual.Usage);
        Assert.Equal(expected.Urls.IssuingCertificates, actual.Urls.IssuingCertificates);
        Assert.Equal(expected.Urls.CrlDistributionPoints, actual.Urls.CrlDistributionPoints);
        Assert.Equal(expected.Urls.OcspServers, actual.Urls.OcspServers);
        if (expected.ManualChain is null)
        {
            Assert.Null(actual.ManualChain);
        }
        else
        {
            Assert.NotNull(actual.ManualChain);
            Assert.Equal(expected.ManualChain, actual.ManualChain);
        }

        SameInstant(expected.CreatedAt, actual.CreatedAt);
    }

    public static void Same(Role expected, Role? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.IssuerRef, actual.IssuerRef);
        Assert.Equal(expected.AllowedDomains, actual.AllowedDomains);
        Assert.Equal(expected.AllowBareDomains, actual.AllowBareDomains);
        Assert.Equal(expected.AllowSubdomains, actual.AllowSubdomains);
        Assert.Equal(expected.AllowGlobDomains, actual.AllowGlobDomains);
        Assert.Equal(expected.AllowWildcardCertificates, actual.AllowWildcardCertificates);
        Assert.Equal(expected.AllowLocalhost, actual.AllowLocalhost);
        Assert.Equal(expected.AllowAnyName, actual.AllowAnyName);
        Assert.Equal(expected.EnforceHostnames, actual.EnforceHostnames);
        Assert.Equal(expected.AllowIpSans, actual.AllowIpSans);
        Assert.Equal(expected.AllowedUriSans, actual.AllowedUriSans);
        Assert.Equal(expected.KeyType, actual.KeyType);
        Assert.Equal(expected.KeyBits, actual.KeyBits);
        Assert.Equal(expected.KeyUsage, actual.KeyUsage);
        Assert.Equal(expected.ExtKeyUsage, actual.ExtKeyUsage);
        Assert.Equal(expected.ExtKeyUsageOids, actual.ExtKeyUsageOids);
        Assert.Equal(expected.Ttl, actual.Ttl);
        Assert.Equal(expected.MaxTtl, actual.MaxTtl);
        Assert.Equal(expected.NotBeforeDuration, actual.NotBeforeDuration);
        Assert.Equal(expected.NoStore, actual.NoStore);
        Assert.Equal(expected.RequireCn, actual.RequireCn);
        Assert.Equal(expected.PolicyIdentifiers, actual.PolicyIdentifiers);
        Assert.Equal(expected.Organization, actual.Organization);
        Assert.Equal(expected.OrganizationalUnit, actual.OrganizationalUnit);
        Assert.Equal(expected.Country, actual.Country);
    }

    public static void Same(IssuedCertificate expected, IssuedCertificate? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Serial, actual.Serial);
        Assert.Equal(expected.IssuerId, actual.IssuerId);
        Assert.Equal(expected.Role, actual.Role);
        Assert.Equal(expected.CommonName, actual.CommonName);
        Assert.Equal(expected.SubjectAlternativeNames, actual.SubjectAlternativeNames);
        SameInstant(expected.NotBefore, actual.NotBefore);
        SameInstant(expected.NotAfter, actual.NotAfter);
        Assert.Equal(expected.CertificateDer, actual.CertificateDer);
        SameInstant(expected.IssuedAt, actual.IssuedAt);
    }

    /// <summary>Every field but <see cref="RevocationEntry.Sequence"/>, which the store assigns.</summary>
    public static void Same(RevocationEntry expected, RevocationEntry? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Serial, actual.Serial);
        Assert.Equal(expected.IssuerId, actual.IssuerId);
        SameInstant(expected.RevokedAt, actual.RevokedAt);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.InvalidityDate?.ToUnixTimeMilliseconds(), actual.InvalidityDate?.ToUnixTimeMilliseconds());
        SameInstant(expected.NotAfter, actual.NotAfter);
        Assert.Equal(expected.Shard, actual.Shard);
        Assert.Equal(expected.CertificateDer, actual.CertificateDer);
    }

    public static void Same(CrlInfo expected, CrlInfo? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.IssuerId, actual.IssuerId);
        Assert.Equal(expected.Shard, actual.Shard);
        Assert.Equal(expected.IsDelta, actual.IsDelta);
        Assert.Equal(expected.Number, actual.Number);
        Assert.Equal(expected.BaseNumber, actual.BaseNumber);
        SameInstant(expected.ThisUpdate, actual.ThisUpdate);
        SameInstant(expected.NextUpdate, actual.NextUpdate);
        Assert.Equal(expected.MaxSequence, actual.MaxSequence);
        Assert.Equal(expected.EntryCount, actual.EntryCount);
    }

    public static void Same(OcspResponderRecord expected, OcspResponderRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.IssuerId, actual.IssuerId);
        Assert.Equal(expected.KeyReference, actual.KeyReference);
        Assert.Equal(expected.CertificateDer, actual.CertificateDer);
        SameInstant(expected.NotBefore, actual.NotBefore);
        SameInstant(expected.NotAfter, actual.NotAfter);
        SameInstant(expected.CreatedAt, actual.CreatedAt);
    }

    public static void Same(CachedOcspResponse expected, CachedOcspResponse? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.CertIdDer, actual.CertIdDer);
        Assert.Equal(expected.IssuerId, actual.IssuerId);
        Assert.Equal(expected.Serial, actual.Serial);
        Assert.Equal(expected.Status, actual.Status);
        SameInstant(expected.ThisUpdate, actual.ThisUpdate);
        SameInstant(expected.NextUpdate, actual.NextUpdate);
        SameInstant(expected.RefreshAt, actual.RefreshAt);
        Assert.Equal(expected.ResponseDer, actual.ResponseDer);
    }

    /// <summary>The same instant to the millisecond; the offset a store hands back may differ (UTC is typical).</summary>
    public static void SameInstant(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.Equal(expected.ToUnixTimeMilliseconds(), actual.ToUnixTimeMilliseconds());

    public static async Task<PkiProtocolServer.Core.Errors.PkiException> ThrowsKind(PkiProtocolServer.Core.Errors.PkiErrorKind kind, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<PkiProtocolServer.Core.Errors.PkiException>(action);
        Assert.Equal(kind, e.Kind);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        return e;
    }
}
