namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// A delegated OCSP responder (RFC 6960 4.2.2.2): a short-lived certificate with id-kp-OCSPSigning and
/// id-pkix-ocsp-nocheck, issued by the CA to a key in software custody, so that OCSP signing never
/// touches the CA's own (HSM-held) key per request.
/// </summary>
public sealed record OcspResponderRecord
{
    public required string Id { get; init; }

    public required string IssuerId { get; init; }

    /// <summary>Custody reference of the responder's key.</summary>
    public required string KeyReference { get; init; }

    public required byte[] CertificateDer { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
