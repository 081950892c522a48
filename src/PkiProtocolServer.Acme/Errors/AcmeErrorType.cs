namespace PkiProtocolServer.Acme.Errors;

/// <summary>The error types of RFC 8555 6.7 (and RFC 8737, RFC 8738 reuse them); each maps to <c>urn:ietf:params:acme:error:{name}</c>.</summary>
public enum AcmeErrorType
{
    AccountDoesNotExist,
    AlreadyReplaced,
    AlreadyRevoked,
    BadCsr,
    BadNonce,
    BadPublicKey,
    BadRevocationReason,
    BadSignatureAlgorithm,
    Caa,
    Compound,
    Connection,
    Dns,
    ExternalAccountRequired,
    IncorrectResponse,
    InvalidContact,
    InvalidProfile,
    Malformed,
    OrderNotReady,
    RateLimited,
    RejectedIdentifier,
    ServerInternal,
    Tls,
    Unauthorized,
    UnsupportedContact,
    UnsupportedIdentifier,
    UserActionRequired,
}
