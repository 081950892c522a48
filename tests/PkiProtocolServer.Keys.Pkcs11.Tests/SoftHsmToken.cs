using System.Diagnostics;
using System.Runtime.InteropServices;
using PkiProtocolServer.Keys.Pkcs11;

namespace PkiProtocolServer.Keys.Pkcs11.Tests;

/// <summary>
/// An isolated SoftHSM2 token for the whole test run: its own softhsm2.conf and token directory under a
/// temp folder, so nothing touches /var/lib/softhsm. One per process, because a PKCS#11 module is
/// process-global (SoftHSM reads SOFTHSM2_CONF once, at C_Initialize) and login state is per token.
/// Fails, never skips, when SoftHSM2 or pkcs11-tool is missing.
/// </summary>
public sealed class SoftHsmToken : IDisposable
{
    public const string ModulePath = Pkcs11KeyCustodyOptions.DefaultModulePath;
    public const string Label = "pki-test";
    public const string UserPin = "user-pin-4711";
    public const string SoPin = "so-pin-0815";

    /// <summary>A second token that the shared custody never logs in to, so a wrong PIN reaches C_Login for real.</summary>
    public const string PinProbeLabel = "pki-pin-probe";

    private const string InstallHint = "install SoftHSM2 and OpenSC: apt-get install softhsm2 opensc";

    public SoftHsmToken()
    {
        if (!File.Exists(ModulePath))
        {
            throw new InvalidOperationException($"the SoftHSM2 PKCS#11 module {ModulePath} is missing; {InstallHint}");
        }

        SoftHsmUtil = FindOnPath("softhsm2-util") ?? throw new InvalidOperationException($"softhsm2-util is not on PATH; {InstallHint}");
        Pkcs11Tool = FindOnPath("pkcs11-tool") ?? throw new InvalidOperationException($"pkcs11-tool is not on PATH; {InstallHint}");

        Directory = System.IO.Directory.CreateTempSubdirectory("pki-softhsm-").FullName;
        var tokens = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tokens")).FullName;
        ConfigPath = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(ConfigPath, $"""
            directories.tokendir = {tokens}
            objectstore.backend = file
            log.level = ERROR
            slots.removable = false

            """);

        // Before the module loads: SoftHSM reads it with getenv() at C_Initialize. On Unix .NET's
        // Environment.SetEnvironmentVariable changes only the runtime's own copy, which native code never
        // sees, so libc's setenv is called as well. Child processes get it explicitly too.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", ConfigPath);
        if (NativeEnvironment.SetEnv("SOFTHSM2_CONF", ConfigPath, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed");
        }

        Run(SoftHsmUtil, "--init-token", "--free", "--label", Label, "--pin", UserPin, "--so-pin", SoPin);
        Run(SoftHsmUtil, "--init-token", "--free", "--label", PinProbeLabel, "--pin", UserPin, "--so-pin", SoPin);

        Custody = new Pkcs11KeyCustody(Options());
        Custody.ConnectAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The custody every test shares, logged in to <see cref="Label"/>.</summary>
    public Pkcs11KeyCustody Custody { get; }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string SoftHsmUtil { get; }

    public string Pkcs11Tool { get; }

    public static Pkcs11KeyCustodyOptions Options(string tokenLabel = Label, string pin = UserPin) => new()
    {
        ModulePath = ModulePath,
        TokenLabel = tokenLabel,
        Pin = pin,
        SessionPoolSize = 8,
    };

    /// <summary>Runs pkcs11-tool against the test token's module with the user PIN.</summary>
    public string RunPkcs11Tool(params string[] arguments) =>
        Run(Pkcs11Tool, ["--module", ModulePath, "--token-label", Label, "--login", "--pin", UserPin, .. arguments]);

    public string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SOFTHSM2_CONF"] = ConfigPath;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in 2 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }

        return stdout.Result + stderr.Result;
    }

    public void Dispose()
    {
        Custody.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>libc's environment, the one native modules read.</summary>
internal static class NativeEnvironment
{
    [DllImport("libc.so.6", EntryPoint = "setenv")]
    public static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

/// <summary>Every test that touches the token shares one fixture (and so one loaded module and login).</summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmToken>
{
    public const string Name = "softhsm";
}
