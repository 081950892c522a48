namespace PkiProtocolServer.Core.Revocation.Ocsp;

/// <summary>CertStatus of RFC 6960 4.2.1, with the CHOICE tag numbers as values.</summary>
public enum OcspCertStatus
{
    Good = 0,
    Revoked = 1,
    Unknown = 2,
}
