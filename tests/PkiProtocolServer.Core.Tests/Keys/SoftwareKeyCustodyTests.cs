using System.Diagnostics;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Keys.Software;

namespace PkiProtocolServer.Core.Tests.Keys;

public sealed class SoftwareKeyCustodyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pki-softkeys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private SoftwareKeyCustody Custody(string passphrase) =>
        new(new SoftwareKeyCustodyOptions { Directory = _directory, Passphrase = passphrase, Iterations = 1000 });

    [Fact]
    public async Task Key_file_is_encrypted_pkcs8_readable_only_with_the_passphrase()
    {
        var signer = await Custody("right passphrase").GenerateAsync(KeySpec.EcP256, "root", CancellationToken.None);
        var file = Directory.GetFiles(_directory).Single();
        var text = await File.ReadAllTextAsync(file);

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", text);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var wrong = await Assert.ThrowsAsync<PkiException>(async () => await Custody("wrong passphrase").OpenAsync(signer.KeyReference, CancellationToken.None));
        Assert.DoesNotContain("right passphrase", wrong.Message);
    }

    [Fact]
    public async Task Openssl_decrypts_the_key_file_with_the_passphrase()
    {
        var signer = await Custody("openssl-pass").GenerateAsync(KeySpec.EcP256, "root", CancellationToken.None);
        var file = Directory.GetFiles(_directory).Single();
        var psi = new ProcessStartInfo("openssl", ["pkey", "-in", file, "-passin", "pass:openssl-pass", "-pubout", "-outform", "DER"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(signer.SubjectPublicKeyInfo.ToArray(), output.ToArray());
    }

    [Fact]
    public async Task A_reference_that_is_not_software_is_refused()
    {
        await Assert.ThrowsAsync<PkiException>(async () => await Custody("x").OpenAsync("pkcs11:token=a;object=b", CancellationToken.None));
        await Assert.ThrowsAsync<PkiException>(async () => await Custody("x").OpenAsync("software:id=../../etc", CancellationToken.None));
    }

    [Fact]
    public void Custody_reports_itself_as_development_grade()
    {
        Assert.True(Custody("x").IsDevelopmentGrade);
    }
}
