using System.Diagnostics;
using System.Runtime.InteropServices;
using PkiProtocolServer.Keys.Pkcs11;

namespace PkiProtocolServer.Benchmarks;

/// <summary>
/// An isolated SoftHSM2 token under the benchmark's temp folder (its own softhsm2.conf and token directory),
/// so nothing touches /var/lib/softhsm. Must be created before anything loads the PKCS#11 module: SoftHSM
/// reads SOFTHSM2_CONF with getenv() at C_Initialize, and .NET's SetEnvironmentVariable does not reach libc.
/// </summary>
internal sealed class SoftHsm
{
    public const string Label = "pki-bench";
    public const string UserPin = "bench-user-pin";
    private const string SoPin = "bench-so-pin";

    public SoftHsm(string directory)
    {
        if (!File.Exists(Pkcs11KeyCustodyOptions.DefaultModulePath))
        {
            throw new InvalidOperationException($"{Pkcs11KeyCustodyOptions.DefaultModulePath} is missing: apt-get install softhsm2 (or run with --no-softhsm)");
        }

        var tokens = Directory.CreateDirectory(Path.Combine(directory, "tokens")).FullName;
        ConfigPath = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(ConfigPath, $"""
            directories.tokendir = {tokens}
            objectstore.backend = file
            log.level = ERROR
            slots.removable = false

            """);
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", ConfigPath);
        if (NativeMethods.SetEnv("SOFTHSM2_CONF", ConfigPath, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed");
        }

        var start = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--init-token", "--free", "--label", Label, "--pin", UserPin, "--so-pin", SoPin })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SOFTHSM2_CONF"] = ConfigPath;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("softhsm2-util did not start");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util --init-token failed ({process.ExitCode}): {output}");
        }
    }

    public string ConfigPath { get; }

    public static Pkcs11KeyCustodyOptions Options => new()
    {
        ModulePath = Pkcs11KeyCustodyOptions.DefaultModulePath,
        TokenLabel = Label,
        Pin = UserPin,
        SessionPoolSize = 8,
    };

    private static class NativeMethods
    {
        [DllImport("libc.so.6", EntryPoint = "setenv")]
        public static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
    }
}
