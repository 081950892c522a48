using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>Who signs an issuer's OCSP responses: a delegated responder (with its certificate) or the issuer itself.</summary>
public sealed record OcspSigningIdentity
{
    public required ISigner Signer { get; init; }

    public required SignatureAlgorithm Algorithm { get; init; }

    /// <summary>SHA-1 of the signer's public key: the ResponderID byKey.</summary>
    public required byte[] ResponderKeyHash { get; init; }

    /// <summary>The delegated responder certificate to include in responses; null when the issuer signs.</summary>
    public byte[]? CertificateDer { get; init; }

    /// <summary>Responses must not outlive this (the responder certificate's NotAfter, or the issuer's).</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The delegated responder's record id, or null when the issuer signs.</summary>
    public string? ResponderId { get; init; }
}
