namespace PkiProtocolServer.Configuration;

/// <summary>The <c>Pki</c> configuration section (environment: <c>PKI__...</c> or <c>Pki__...</c>).</summary>
public sealed class PkiOptions
{
    public const string Section = "Pki";

    /// <summary>Embedded state, software keys, the development CA, the audit log.</summary>
    public string DataDirectory { get; set; } = "./data";

    public int HttpsPort { get; set; } = 8443;

    public int HttpPort { get; set; } = 8080;

    /// <summary>Host name used in printed URLs and in the development TLS certificate.</summary>
    public string PublicHost { get; set; } = "localhost";

    /// <summary>StackExchange.Redis configuration; unset = embedded SQLite state.</summary>
    public string? Redis { get; set; }

    public KeysOptions Keys { get; set; } = new();

    public AdminOptions Admin { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    public DevelopmentCaOptions DevelopmentCa { get; set; } = new();

    public string DataPath(params string[] parts) => Path.Combine([Path.GetFullPath(DataDirectory), .. parts]);
}

public sealed class KeysOptions
{
    public SoftwareKeysOptions Software { get; set; } = new();

    /// <summary>Set <c>Pki:Keys:Pkcs11:TokenLabel</c> to enable the pkcs11 custody.</summary>
    public Pkcs11KeysOptions Pkcs11 { get; set; } = new();
}

public sealed class SoftwareKeysOptions
{
    /// <summary>Passphrase encrypting software keys at rest; unset = generated into <c>{DataDirectory}/keys/passphrase</c> (development only).</summary>
    public string? Passphrase { get; set; }
}

public sealed class Pkcs11KeysOptions
{
    public string ModulePath { get; set; } = "/usr/lib/softhsm/libsofthsm2.so";

    public string? TokenLabel { get; set; }

    /// <summary>Name of an environment variable holding the user PIN.</summary>
    public string? PinEnvironmentVariable { get; set; } = "PKI_PKCS11_PIN";

    /// <summary>File holding the user PIN.</summary>
    public string? PinFile { get; set; }

    public int SessionPoolSize { get; set; } = 8;
}

public sealed class AdminOptions
{
    /// <summary>Bearer tokens, each given only by its SHA-256 hash.</summary>
    public List<AdminTokenOptions> Tokens { get; set; } = [];
}

public sealed class AdminTokenOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary>operator, agent, advanced or requester.</summary>
    public string Persona { get; set; } = "requester";

    /// <summary>Lower-case hex SHA-256 of the token (<c>printf %s "$TOKEN" | sha256sum</c>).</summary>
    public string Sha256 { get; set; } = string.Empty;
}

public sealed class TlsOptions
{
    /// <summary>PEM certificate chain for the HTTPS listener; unset = a certificate from the development CA.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key for <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }
}

public sealed class DevelopmentCaOptions
{
    /// <summary>Create a development root and intermediate when the server has no issuer.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Key type of the development CA: ec (P-256), rsa, ed25519.</summary>
    public string KeyType { get; set; } = "ec";

    public int KeyBits { get; set; }
}
