using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Tests.Est;

/// <summary>
/// One server with EST labels for every authentication mode: <c>factory</c> (manufacturer certificates only),
/// <c>strict</c> (passwords, a narrow role), <c>approval</c> (manual approval), <c>nokeygen</c> (no serverkeygen) and
/// <c>both</c> (password and certificate), plus a manufacturer CA and a stranger's CA for client certificates.
/// </summary>
public sealed class EstServerFixture : IAsyncLifetime
{
    public EstServerFixture()
    {
        Manufacturer = CreateCa("Example Manufacturer Root");
        Stranger = CreateCa("Stranger Root");
        Server = new PkiServerFactory().Configure();
        var anchors = Path.Combine(Server.DataDirectory, "manufacturer-anchors.pem");
        File.WriteAllText(anchors, Pem.Encode("CERTIFICATE", Manufacturer.RawData));
        void Label(string name, string role, string authentication, params (string Key, string Value)[] extra)
        {
            Server.Settings[$"Pki:Est:Labels:{name}:Role"] = role;
            Server.Settings[$"Pki:Est:Labels:{name}:Authentication"] = authentication;
            foreach (var (key, value) in extra)
            {
                Server.Settings[$"Pki:Est:Labels:{name}:{key}"] = value;
            }
        }

        Label("factory", "est-device", "Certificate", ("TrustAnchors:0", anchors));
        Label("strict", "strict-devices", "PasswordOrCertificate");
        Label("approval", "est-device", "PasswordOrCertificate", ("ManualApproval", "true"), ("RetryAfterSeconds", "7"));
        Label("nokeygen", "est-device", "PasswordOrCertificate", ("ServerKeyGeneration", "false"));
        Label("both", "est-device", "PasswordAndCertificate", ("TrustAnchors:0", anchors));
        Label("orphan", "no-such-role", "Password");
    }

    public PkiServerFactory Server { get; }

    /// <summary>A device manufacturer's CA, a trust anchor of the <c>factory</c> and <c>both</c> labels.</summary>
    public X509Certificate2 Manufacturer { get; }

    /// <summary>A CA nobody here trusts.</summary>
    public X509Certificate2 Stranger { get; }

    /// <summary>Password of user <c>device-1</c> on the <c>strict</c> label.</summary>
    public string StrictPassword { get; private set; } = string.Empty;

    /// <summary>Password of user <c>line-1</c> on the <c>approval</c> label.</summary>
    public string ApprovalPassword { get; private set; } = string.Empty;

    /// <summary>Password of user <c>line-7</c> on the <c>both</c> label.</summary>
    public string BothPassword { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        using var agent = Server.Https("agent");
        await agent.PutJson("/api/v1/roles/strict-devices", new { allowed_domains = new[] { "devices.example.com" }, allow_subdomains = true, key_type = "ec" }).Ok();
        var user = await agent.PostJson("/api/v1/est/labels/strict/users", new { name = "device-1", one_time = false }).Ok();
        StrictPassword = user.Str("password");
        ApprovalPassword = (await agent.PostJson("/api/v1/est/labels/approval/users", new { name = "line-1", one_time = false }).Ok()).Str("password");
        BothPassword = (await agent.PostJson("/api/v1/est/labels/both/users", new { name = "line-7", one_time = false }).Ok()).Str("password");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A leaf signed by <paramref name="ca"/> (a device certificate of another PKI).</summary>
    public static X509Certificate2 LeafOf(X509Certificate2 ca, string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(12));
        return X509CertificateLoader.LoadCertificate(leaf.RawData);
    }

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(2));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
