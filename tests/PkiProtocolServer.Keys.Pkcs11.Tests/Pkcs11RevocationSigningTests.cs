using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Keys.Pkcs11.Tests;

/// <summary>CRLs are signed through the signer seam, so a CA whose key lives in the HSM publishes CRLs openssl accepts.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11RevocationSigningTests(SoftHsmToken token)
{
    [Theory]
    [InlineData("ec-256")]
    [InlineData("rsa-2048")]
    [InlineData("ed25519")]
    public async Task A_crl_signed_by_an_hsm_key_verifies_with_openssl_and_lists_its_entries(string specName)
    {
        var spec = KeySpec.FromName(specName);
        var signer = await token.Custody.GenerateAsync(spec, "crl-ca-" + specName, CancellationToken.None);
        var algorithm = spec.DefaultSignatureAlgorithm;
        var name = DistinguishedNames.Build("HSM CRL CA " + specName);
        var keyId = Extensions.KeyIdentifier(signer.SubjectPublicKeyInfo.Span);
        var now = DateTimeOffset.UtcNow;
        var caDer = await X509Signing.SignCertificateAsync(
            new CertificateTemplate
            {
                SerialNumber = SerialNumbers.New(),
                IssuerName = name.RawData,
                Subject = name,
                SubjectPublicKeyInfo = signer.SubjectPublicKeyInfo,
                NotBefore = now.AddMinutes(-1),
                NotAfter = now.AddDays(1),
                Extensions =
                [
                    new X509BasicConstraintsExtension(true, false, 0, true),
                    new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true),
                    Extensions.SubjectKeyIdentifier(signer.SubjectPublicKeyInfo.Span),
                ],
            },
            signer,
            algorithm,
            CancellationToken.None);

        var writer = new CrlWriter(new CrlTemplate { IssuerName = name.RawData, AuthorityKeyIdentifier = keyId, Number = 7, ThisUpdate = now, NextUpdate = now.AddHours(1) }, algorithm);
        writer.Add(new RevocationEntry { Serial = "0a1b2c", IssuerId = "ca", RevokedAt = now, Reason = RevocationReason.KeyCompromise, NotAfter = now.AddDays(1) });
        var crl = await X509Signing.SignAsync(writer.Finish(), signer, algorithm, CancellationToken.None);

        var directory = Directory.CreateTempSubdirectory("pki-hsm-crl-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "ca.pem"), Pem.Encode("CERTIFICATE", caDer));
            File.WriteAllBytes(Path.Combine(directory, "ca.crl"), crl);
            var output = Openssl(directory, "crl", "-inform", "DER", "-in", "ca.crl", "-CAfile", "ca.pem", "-noout", "-text");
            Assert.Contains("verify OK", output);
            Assert.Contains("Serial Number: 0A1B2C", output);
            Assert.Contains("Key Compromise", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Openssl(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        return output;
    }
}
