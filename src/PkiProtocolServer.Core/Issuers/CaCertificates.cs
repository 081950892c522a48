using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Issuers;

/// <summary>The extensions every CA certificate this server makes carries.</summary>
internal static class CaCertificates
{
    public static List<X509Extension> Extensions(ReadOnlySpan<byte> subjectPublicKeyInfo, byte[]? authorityKeyIdentifier, CaConstraints constraints, IssuerUrls? parentUrls)
    {
        var extensions = new List<X509Extension>
        {
            new X509BasicConstraintsExtension(true, constraints.MaxPathLength >= 0, Math.Max(constraints.MaxPathLength, 0), critical: true),
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true),
            X509.Extensions.SubjectKeyIdentifier(subjectPublicKeyInfo),
        };
        if (authorityKeyIdentifier is not null)
        {
            extensions.Add(X509.Extensions.AuthorityKeyIdentifier(authorityKeyIdentifier));
        }

        if (constraints.PermittedDnsDomains.Count > 0)
        {
            extensions.Add(X509.Extensions.PermittedDnsDomains(constraints.PermittedDnsDomains));
        }

        if (parentUrls is not null)
        {
            if (parentUrls.OcspServers.Count > 0 || parentUrls.IssuingCertificates.Count > 0)
            {
                extensions.Add(new X509AuthorityInformationAccessExtension(parentUrls.OcspServers, parentUrls.IssuingCertificates));
            }

            if (parentUrls.CrlDistributionPoints.Count > 0)
            {
                extensions.Add(X509.Extensions.CrlDistributionPoints(parentUrls.CrlDistributionPoints));
            }
        }

        return extensions;
    }
}
