using PkiProtocolServer.Core.Certificates;

namespace PkiProtocolServer.Core.Issuance;

/// <summary>An issued certificate with its chain (issuing CA first, root last).</summary>
public sealed record IssuanceResult
{
    public required IssuedCertificate Certificate { get; init; }

    public required IReadOnlyList<byte[]> Chain { get; init; }

    /// <summary>
    /// Every other chain the issuing CA has up to a root the server knows (a cross-signed parent, a
    /// reissued root), issuing CA first in each; empty when it has only <see cref="Chain"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<byte[]>> AlternateChains { get; init; } = [];

    /// <summary>True when the role said no_store and nothing was recorded.</summary>
    public bool Stored { get; init; }

    /// <summary>PKCS#8 PEM of a server-generated key; returned once, never stored. Null for CSR issuance.</summary>
    public string? PrivateKeyPem { get; init; }
}
