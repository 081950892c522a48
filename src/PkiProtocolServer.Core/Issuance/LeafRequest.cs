using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Issuance;

/// <summary>
/// What a front end (admin API, ACME, EST) asks the core to certify: a public key and names, under a role.
/// The core applies the role; the front end has already authenticated the requester.
/// </summary>
public sealed record LeafRequest
{
    public required string Role { get; init; }

    /// <summary>DER SubjectPublicKeyInfo of the key to certify (from a verified CSR or a server-generated key).</summary>
    public required byte[] SubjectPublicKeyInfo { get; init; }

    public required KeySpec KeySpec { get; init; }

    public string? CommonName { get; init; }

    public SubjectNames Names { get; init; } = SubjectNames.Empty;

    /// <summary>Requested lifetime; null takes the role's ttl.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Issuer to use instead of the role's issuer_ref (an "advanced" caller's choice).</summary>
    public string? IssuerRef { get; init; }

    /// <summary>Who asks, for the audit log.</summary>
    public required string Actor { get; init; }
}
