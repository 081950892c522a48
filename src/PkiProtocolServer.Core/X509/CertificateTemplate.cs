using System.Security.Cryptography.X509Certificates;

namespace PkiProtocolServer.Core.X509;

/// <summary>Everything of a certificate but its signature: what a signer is asked to sign.</summary>
public sealed record CertificateTemplate
{
    public required byte[] SerialNumber { get; init; }

    /// <summary>DER Name of the issuer, taken verbatim from the issuer certificate's subject.</summary>
    public required ReadOnlyMemory<byte> IssuerName { get; init; }

    public required X500DistinguishedName Subject { get; init; }

    public required ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required IReadOnlyList<X509Extension> Extensions { get; init; }
}
