namespace PkiProtocolServer.Core.Revocation;

/// <summary>CRLReason (RFC 5280 5.3.1); the same codes go into OCSP responses (RFC 6960 4.2.1) and ACME revokeCert.</summary>
public enum RevocationReason
{
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
    CertificateHold = 6,
    RemoveFromCrl = 8,
    PrivilegeWithdrawn = 9,
    AaCompromise = 10,
}
