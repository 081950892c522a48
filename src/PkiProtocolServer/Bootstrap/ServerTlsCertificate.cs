using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Configuration;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Bootstrap;

/// <summary>
/// The HTTPS listener's certificate: the configured PEM files, or one the server issues itself from its
/// default issuer for localhost (role <c>server-tls</c>), kept under <c>{DataDirectory}/tls</c> with its key
/// encrypted, and reissued when a third of its life is left or its issuer is gone.
/// </summary>
public sealed partial class ServerTlsCertificate
{
    public const string RoleName = "server-tls";

    private readonly PkiOptions _options;
    private readonly IssuanceService _issuance;
    private readonly RoleService _roles;
    private readonly IssuerCatalog _catalog;
    private readonly string _passphrase;
    private readonly TimeProvider _time;
    private readonly ILogger<ServerTlsCertificate> _logger;

    public ServerTlsCertificate(IOptions<PkiOptions> options, IssuanceService issuance, RoleService roles, IssuerCatalog catalog, SoftwareKeystorePassphrase passphrase, TimeProvider time, ILogger<ServerTlsCertificate> logger)
    {
        _options = options.Value;
        _issuance = issuance;
        _roles = roles;
        _catalog = catalog;
        _passphrase = passphrase.Value;
        _time = time;
        _logger = logger;
    }

    public X509Certificate2? Certificate { get; private set; }

    public X509Certificate2Collection Chain { get; } = [];

    /// <summary>Certificate and chain as TLS handshakes use them; built once per load.</summary>
    public System.Net.Security.SslStreamCertificateContext? Context { get; private set; }

    public string CertificatePath => _options.Tls.CertificatePath ?? _options.DataPath("tls", "server.pem");

    public async Task LoadOrIssueAsync(CancellationToken cancellationToken)
    {
        if (_options.Tls.CertificatePath is { } configured)
        {
            Certificate = X509Certificate2.CreateFromPemFile(configured, _options.Tls.KeyPath);
            LoadChain(File.ReadAllText(configured));
            return;
        }

        var certPath = _options.DataPath("tls", "server.pem");
        var keyPath = _options.DataPath("tls", "server.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var certPem = await File.ReadAllTextAsync(certPath, cancellationToken);
            var keyPem = await File.ReadAllTextAsync(keyPath, cancellationToken);
            var existing = X509Certificate2.CreateFromEncryptedPem(certPem, keyPem, _passphrase);
            if (await StillGoodAsync(existing, cancellationToken))
            {
                Certificate = existing;
                LoadChain(certPem);
                return;
            }
        }

        await IssueAsync(certPath, keyPath, cancellationToken);
    }

    private async Task<bool> StillGoodAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lifetime = certificate.NotAfter - certificate.NotBefore;
        var issuer = (await _catalog.GetAsync(cancellationToken)).Default;
        return certificate.NotAfter.ToUniversalTime() - now.UtcDateTime > lifetime / 3
            && issuer is not null
            && issuer.Certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
    }

    private async Task IssueAsync(string certPath, string keyPath, CancellationToken cancellationToken)
    {
        var host = _options.PublicHost.ToLowerInvariant();
        var machine = Environment.MachineName.ToLowerInvariant();
        var dnsNames = new[] { "localhost", host, machine }.Where(Hostnames.IsValid).Distinct().ToList();
        await _roles.PutAsync(
            new Role
            {
                Name = RoleName,
                AllowedDomains = dnsNames.Where(n => !Hostnames.IsLocalhost(n)).ToList(),
                AllowBareDomains = true,
                AllowLocalhost = true,
                AllowIpSans = true,
                ExtKeyUsage = ["ServerAuth"],
                Ttl = TimeSpan.FromDays(90),
                MaxTtl = TimeSpan.FromDays(90),
            },
            DevelopmentCa.Actor,
            cancellationToken);

        var request = new LeafRequest
        {
            Role = RoleName,
            SubjectPublicKeyInfo = [],
            KeySpec = KeySpec.EcP256,
            CommonName = "localhost",
            Names = new SubjectNames { DnsNames = dnsNames, IpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback] },
            Actor = DevelopmentCa.Actor,
        };
        var result = await _issuance.IssueWithGeneratedKeyAsync(request, KeySpec.EcP256, cancellationToken);

        using var key = ECDsa.Create();
        key.ImportFromPem(result.PrivateKeyPem);
        var encryptedKey = key.ExportEncryptedPkcs8PrivateKeyPem(_passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
        var certPem = Pem.Certificates([result.Certificate.CertificateDer, .. result.Chain.Take(Math.Max(result.Chain.Count - 1, 1))]);
        Directory.CreateDirectory(Path.GetDirectoryName(certPath)!);
        await WritePrivateAsync(keyPath, encryptedKey, cancellationToken);
        await File.WriteAllTextAsync(certPath, certPem, cancellationToken);

        Certificate = X509Certificate2.CreateFromPem(certPem, result.PrivateKeyPem);
        LoadChain(certPem);
        LogIssued(_logger, result.Certificate.Serial, string.Join(", ", dnsNames));
    }

    private void LoadChain(string pem)
    {
        LoadChainCertificates(pem);
        Context = System.Net.Security.SslStreamCertificateContext.Create(Certificate!, Chain, offline: true);
    }

    private void LoadChainCertificates(string pem)
    {
        Chain.Clear();
        foreach (var (label, der) in Pem.ReadAll(pem).Skip(1))
        {
            if (label == "CERTIFICATE")
            {
                Chain.Add(X509CertificateLoader.LoadCertificate(der));
            }
        }
    }

    private static async Task WritePrivateAsync(string path, string contents, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temp, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(contents.AsMemory(), cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued the HTTPS server certificate {Serial} for {Names}")]
    private static partial void LogIssued(ILogger logger, string serial, string names);
}

/// <summary>The software keystore passphrase, resolved once at start.</summary>
public sealed record SoftwareKeystorePassphrase(string Value, bool Generated);
