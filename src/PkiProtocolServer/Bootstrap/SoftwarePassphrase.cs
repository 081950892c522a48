using System.Security.Cryptography;
using PkiProtocolServer.Configuration;

namespace PkiProtocolServer.Bootstrap;

/// <summary>
/// The passphrase of the software keystore: from configuration, or generated once into
/// <c>{DataDirectory}/keys/passphrase</c> (0600) so the embedded default needs no set-up. The generated file
/// sits beside the keys it protects: that is development-grade custody, and the server says so.
/// </summary>
public static class SoftwarePassphrase
{
    public static (string Passphrase, bool Generated) Resolve(PkiOptions options)
    {
        if (!string.IsNullOrEmpty(options.Keys.Software.Passphrase))
        {
            return (options.Keys.Software.Passphrase, false);
        }

        var path = options.DataPath("keys", "passphrase");
        if (File.Exists(path))
        {
            return (File.ReadAllText(path).Trim(), true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var passphrase = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(path, fileOptions)))
        {
            writer.Write(passphrase);
        }

        return (passphrase, true);
    }
}
