namespace PkiProtocolServer.Core.Revocation;

/// <summary>
/// The narrow port a protocol front end (ACME revokeCert) uses to revoke: the front end has already decided
/// the requester may (RFC 8555 7.6: the account that issued it, the certificate's key, or control of its names).
/// </summary>
public interface ICertificateRevoker
{
    /// <summary>
    /// Revokes a certificate given in full, which must have been signed by an issuer of this server. Durable before
    /// it returns. Throws <see cref="Errors.PkiErrorKind.AlreadyRevoked"/> when it was revoked before.
    /// </summary>
    Task<RevocationEntry> RevokeCertificateAsync(byte[] certificateDer, RevocationReason reason, string actor, CancellationToken cancellationToken);
}
