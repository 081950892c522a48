using System.Security.Cryptography;
using PkiProtocolServer.Est.Configuration;

namespace PkiProtocolServer.Est.Users;

/// <summary>
/// The password of user <c>est</c> on the default label: <c>Pki:Est:DefaultPassword</c> when set, otherwise a random one
/// generated on first start and kept (owner-only) in <c>{DataDirectory}/est-password</c>, so the embedded default works
/// without configuration and a restart keeps devices' credentials.
/// </summary>
public static class DefaultPassword
{
    /// <summary>Returns the password and whether it comes from the file (so the banner can point there).</summary>
    public static (string Password, string? File) Resolve(EstOptions options)
    {
        if (!string.IsNullOrEmpty(options.DefaultPassword))
        {
            return (options.DefaultPassword, null);
        }

        var path = options.PasswordFilePath;
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length > 0)
            {
                return (stored, path);
            }
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(temp, fileOptions)))
        {
            writer.WriteLine(password);
        }

        File.Move(temp, path, overwrite: true);
        return (password, path);
    }
}
