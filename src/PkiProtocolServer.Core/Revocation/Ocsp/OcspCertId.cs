namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>
/// CertID (RFC 6960 4.1.1): which issuer (hashes of its name and key) and which serial a request asks about.
/// <see cref="Der"/> is the encoding as the client sent it; the response echoes it byte for byte.
/// </summary>
public sealed record OcspCertId(string HashAlgorithmOid, byte[] IssuerNameHash, byte[] IssuerKeyHash, string Serial, byte[] Der)
{
    /// <summary>The cache key: lower-case hex of <see cref="Der"/>.</summary>
    public string Key { get; } = Convert.ToHexStringLower(Der);
}
