using System.Net;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Issuance;

/// <summary>The extensions of a leaf certificate, from its role, its key and its issuer.</summary>
internal static class LeafExtensions
{
    /// <summary>The extensions; with a <paramref name="crlShard"/> (sharding on) the CDP names that shard's CRL.</summary>
    public static List<X509Extension> Build(Role role, LeafRequest request, SubjectNames sans, bool subjectEmpty, IssuerContext issuer, int? crlShard = null)
    {
        var extensions = new List<X509Extension>
        {
            new X509BasicConstraintsExtension(false, false, 0, critical: true),
        };

        var keyUsage = KeyUsageFor(Usages.KeyUsageFlags(role.KeyUsage), request.KeySpec);
        if (keyUsage != X509KeyUsageFlags.None)
        {
            extensions.Add(new X509KeyUsageExtension(keyUsage, critical: true));
        }

        var ekus = role.ExtKeyUsage.Select(Usages.ExtendedKeyUsageOid).Concat(role.ExtKeyUsageOids).Distinct().ToList();
        if (ekus.Count > 0)
        {
            var collection = new System.Security.Cryptography.OidCollection();
            foreach (var oid in ekus)
            {
                collection.Add(new System.Security.Cryptography.Oid(oid));
            }

            extensions.Add(new X509EnhancedKeyUsageExtension(collection, critical: false));
        }

        extensions.Add(Extensions.SubjectKeyIdentifier(request.SubjectPublicKeyInfo));
        extensions.Add(Extensions.AuthorityKeyIdentifier(issuer.KeyIdentifier));
        if (!sans.IsEmpty)
        {
            // RFC 5280 4.2.1.6: critical when the subject is empty.
            extensions.Add(Extensions.SubjectAlternativeName(sans, critical: subjectEmpty));
        }

        var urls = issuer.Issuer.Urls;
        if (urls.OcspServers.Count > 0 || urls.IssuingCertificates.Count > 0)
        {
            extensions.Add(new X509AuthorityInformationAccessExtension(urls.OcspServers, urls.IssuingCertificates));
        }

        if (urls.CrlDistributionPoints.Count > 0)
        {
            extensions.Add(Extensions.CrlDistributionPoints(crlShard is { } shard
                ? Revocation.Crl.CrlShards.ShardUrls(urls.CrlDistributionPoints, shard)
                : urls.CrlDistributionPoints));
        }

        if (role.PolicyIdentifiers.Count > 0)
        {
            extensions.Add(Extensions.CertificatePolicies(role.PolicyIdentifiers));
        }

        return extensions;
    }

    /// <summary>The SANs to write: the requested ones plus the common name (CA/B and browsers read only SANs).</summary>
    public static SubjectNames SansWithCommonName(string? commonName, SubjectNames names)
    {
        if (string.IsNullOrEmpty(commonName))
        {
            return Deduplicate(names);
        }

        if (IPAddress.TryParse(commonName, out var ip))
        {
            return Deduplicate(names with { IpAddresses = [ip, .. names.IpAddresses] });
        }

        return commonName.Contains('@', StringComparison.Ordinal)
            ? Deduplicate(names with { Emails = [commonName, .. names.Emails] })
            : Deduplicate(names with { DnsNames = [commonName, .. names.DnsNames] });
    }

    private static SubjectNames Deduplicate(SubjectNames names) => names with
    {
        DnsNames = names.DnsNames.Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList(),
        IpAddresses = names.IpAddresses.Distinct().ToList(),
        Uris = names.Uris.Distinct(StringComparer.Ordinal).ToList(),
        Emails = names.Emails.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
    };

    // RFC 8813 / RFC 8410: only usages the key family can perform.
    private static X509KeyUsageFlags KeyUsageFor(X509KeyUsageFlags requested, KeySpec key) => key.Algorithm switch
    {
        KeyAlgorithm.Rsa => requested & ~X509KeyUsageFlags.KeyAgreement,
        KeyAlgorithm.Ec => requested & ~(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment),
        _ => requested & ~(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyAgreement),
    };
}
