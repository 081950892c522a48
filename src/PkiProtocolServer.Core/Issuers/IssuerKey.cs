using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Core.Issuers;

/// <summary>
/// A CA key known to the server: its custody reference and public key, never its private part.
/// A key exists before its issuer does (an intermediate CSR waiting to be signed), and may outlive it.
/// </summary>
public sealed record IssuerKey
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Custody reference, e.g. <c>pkcs11:token=ca;object=int-2026</c>.</summary>
    public required string KeyReference { get; init; }

    public required KeySpec KeySpec { get; init; }

    /// <summary>DER SubjectPublicKeyInfo, to match certificates to keys on import.</summary>
    public required byte[] SubjectPublicKeyInfo { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string Custody => Keys.KeyReference.Scheme(KeyReference);
}
