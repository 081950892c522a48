namespace PkiProtocolServer.Core.Errors;

/// <summary>What went wrong, independent of any protocol. Each front end maps these to its own wire form.</summary>
public enum PkiErrorKind
{
    /// <summary>The request is malformed or names impossible values.</summary>
    Malformed,
    /// <summary>A CSR cannot be parsed, its signature does not verify, or its key is unacceptable.</summary>
    BadCsr,
    /// <summary>A role or issuer rule refused the request; subproblems say which rule refused which name.</summary>
    PolicyRefused,
    /// <summary>The named object does not exist.</summary>
    NotFound,
    /// <summary>The request conflicts with existing state (a duplicate name, a key already in use).</summary>
    Conflict,
    /// <summary>The caller is not allowed to do this.</summary>
    Forbidden,
    /// <summary>A dependency (HSM, KMS, store) failed or timed out; retrying may help.</summary>
    Unavailable,
    /// <summary>The certificate is already revoked (RFC 8555 <c>alreadyRevoked</c>); the first revocation stands.</summary>
    AlreadyRevoked,
}
