namespace PkiProtocolServer.Est.Configuration;

/// <summary>The <c>Pki:Est</c> configuration section.</summary>
public sealed class EstOptions
{
    public const string Section = "Pki:Est";

    /// <summary>The role of the default label when none is configured; the host creates it on first start.</summary>
    public const string DefaultRoleName = "est-device";

    /// <summary>The HTTP Basic user of the default label.</summary>
    public const string DefaultUser = "est";

    /// <summary>Password of user <c>est</c> on the default label; unset = random, kept in <c>{DataDirectory}/est-password</c>.</summary>
    public string? DefaultPassword { get; set; }

    /// <summary>The default label (<c>/.well-known/est/{operation}</c>).</summary>
    public EstLabelOptions Default { get; set; } = new();

    /// <summary>Named labels (<c>/.well-known/est/{label}/{operation}</c>).</summary>
    public Dictionary<string, EstLabelOptions> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>auto</c> (default): offer RFC 9266 tls-exporter channel binding on TLS 1.3 when the start-up self-test shows the
    /// TLS stack's exporter can be reached; <c>off</c>: never (TLS 1.3 clients then cannot meet a channel-binding label).
    /// </summary>
    public string TlsExporter { get; set; } = "auto";

    /// <summary>Where the generated default password is kept; set by the host from <c>Pki:DataDirectory</c>.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>PBKDF2-SHA256 iterations for new password hashes (OWASP 2023: 600,000).</summary>
    public int PasswordHashIterations { get; set; } = 600_000;

    public string PasswordFilePath => Path.Combine(Path.GetFullPath(DataDirectory), "est-password");
}
