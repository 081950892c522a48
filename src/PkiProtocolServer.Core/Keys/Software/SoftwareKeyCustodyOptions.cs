namespace PkiProtocolServer.Core.Keys.Software;

/// <summary>Where software-custody keys live and the passphrase that encrypts them at rest.</summary>
public sealed class SoftwareKeyCustodyOptions
{
    /// <summary>Directory of the encrypted PKCS#8 files (<c>{DataDirectory}/keys</c> in the host).</summary>
    public required string Directory { get; init; }

    /// <summary>Passphrase for PBES2 (PBKDF2-SHA256 + AES-256-CBC) encryption of every key file.</summary>
    public required string Passphrase { get; init; }

    /// <summary>PBKDF2 iterations for newly written keys.</summary>
    public int Iterations { get; init; } = 210_000;
}
