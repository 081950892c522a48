using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Tests.Est;

/// <summary>The EST happy paths on the default label: cacerts, simpleenroll with a password, simplereenroll with the certificate, serverkeygen, csrattrs.</summary>
public sealed class EstEnrollmentTests : IAsyncLifetime
{
    private readonly PkiServerFactory _server = new PkiServerFactory().Configure();
    private readonly Openssl _openssl = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _openssl.Dispose();
    }

    private string RootPem => File.ReadAllText(_server.DataPath("root-ca.pem"));

    [Fact]
    public async Task Cacerts_needs_no_credentials_and_returns_the_issuing_chain_up_to_the_root_that_openssl_verifies()
    {
        var response = await _server.EstAsync("GET", "/.well-known/est/cacerts");

        var certificates = response.Certificates();
        Assert.Equal(2, certificates.Count);
        var bundle = string.Concat(certificates.Select(c => Pem.Encode("CERTIFICATE", c.RawData)));
        _openssl.RunOk("verify", "-CAfile", _openssl.File("root.pem", RootPem), _openssl.File("chain.pem", bundle));
        Assert.Contains(certificates, c => c.Subject.Contains("Development Root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simpleenroll_with_the_default_password_answers_only_the_issued_certificate_for_the_csr_key()
    {
        using var device = new DeviceKey();

        var response = await _server.EnrollAsync(device.Csr("CN=device-0001", ["device-0001.local"]), basic: EstCalls.DefaultUser);

        var certificate = response.Certificate();
        Assert.Equal("CN=device-0001", certificate.Subject);
        Assert.Equal(device.Key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal("no-store", response.Headers.CacheControl.ToString());
        var chain = (await _server.EstAsync("GET", "/.well-known/est/cacerts")).Certificates().Select(c => Pem.Encode("CERTIFICATE", c.RawData)).ToList();
        Chains.AssertValid(Pem.Encode("CERTIFICATE", certificate.RawData), chain, RootPem);
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
    }

    [Fact]
    public async Task The_body_may_be_base64_with_line_breaks_and_any_transfer_encoding_header()
    {
        using var device = new DeviceKey();
        var wrapped = string.Join("\r\n", EstCalls.Base64(device.Csr("CN=device-wrapped")).Chunk(64).Select(c => new string(c))) + "\r\n";

        var response = await _server.EstAsync("POST", "/.well-known/est/simpleenroll", wrapped, EstCalls.DefaultUser);

        Assert.Equal("CN=device-wrapped", response.Certificate().Subject);
    }

    [Fact]
    public async Task Simplereenroll_with_the_current_certificate_renews_the_same_identity_with_a_new_key_and_serial()
    {
        using var first = new DeviceKey();
        var current = (await _server.EnrollAsync(first.Csr("CN=device-0002", ["device-0002"]), basic: EstCalls.DefaultUser)).Certificate();
        using var rekeyed = new DeviceKey();

        var response = await _server.EnrollAsync(rekeyed.Csr("CN=device-0002", ["device-0002"]), "/.well-known/est/simplereenroll", clientCertificate: current);

        var renewed = response.Certificate();
        Assert.Equal(current.Subject, renewed.Subject);
        Assert.NotEqual(current.SerialNumber, renewed.SerialNumber);
        Assert.Equal(rekeyed.Key.ExportSubjectPublicKeyInfo(), renewed.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task Serverkeygen_answers_a_pkcs8_key_and_its_certificate_in_multipart_mixed_and_keeps_no_copy()
    {
        using var device = new DeviceKey();

        var response = await _server.EnrollAsync(device.Csr("CN=keyless-device"), "/.well-known/est/serverkeygen", basic: EstCalls.DefaultUser);

        Assert.Equal(200, response.Status);
        Assert.StartsWith("multipart/mixed; boundary=", response.ContentType);
        var boundary = response.ContentType!["multipart/mixed; boundary=".Length..];
        var parts = response.Text.Split("--" + boundary);
        Assert.Contains("Content-Type: application/pkcs8", parts[1]);
        var pkcs8 = Convert.FromBase64String(parts[1].Split("\r\n\r\n")[1]);
        var certificate = X509CertificateLoader.LoadCertificate(CertsOnly.Decode(Convert.FromBase64String(parts[2].Split("\r\n\r\n")[1])).Single());
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.NotEqual(device.Key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal("CN=keyless-device", certificate.Subject);

        var keyText = Convert.ToBase64String(pkcs8);
        foreach (var file in Directory.EnumerateFiles(_server.DataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(keyText, await File.ReadAllTextAsync(file));
        }
    }

    [Fact]
    public async Task Serverkeygen_ignores_the_csr_signature_as_rfc_7030_asks()
    {
        using var device = new DeviceKey();
        var csr = device.Csr("CN=throwaway-signature");
        csr[^5] ^= 0x01;

        var response = await _server.EnrollAsync(csr, "/.well-known/est/serverkeygen", basic: EstCalls.DefaultUser);

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Csrattrs_answers_base64_der_from_the_role()
    {
        var response = await _server.EstAsync("GET", "/.well-known/est/csrattrs");

        Assert.Equal(200, response.Status);
        Assert.Equal(EstMediaTypes.CsrAttrs, response.ContentType);
        Assert.Equal("base64", response.Headers["Content-Transfer-Encoding"].ToString());
        var output = _openssl.RunOk("asn1parse", "-inform", "DER", "-in", WriteDer(Convert.FromBase64String(response.Text)));
        Assert.Contains("Extended Key Usage", output);
    }

    [Fact]
    public async Task Without_a_configured_password_one_is_generated_into_the_data_directory_and_works()
    {
        await using var server = new PkiServerFactory();
        server.Settings["Pki:Est:PasswordHashIterations"] = "100000";
        _ = server.Server;

        var file = server.DataPath("est-password");
        var password = (await File.ReadAllTextAsync(file)).Trim();
        using var device = new DeviceKey();

        Assert.True(password.Length >= 20);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(200, (await server.EnrollAsync(device.Csr("CN=generated-password"), basic: ("est", password))).Status);
    }

    private string WriteDer(byte[] der)
    {
        var path = _openssl.PathOf(Guid.NewGuid().ToString("N") + ".der");
        File.WriteAllBytes(path, der);
        return path;
    }
}
