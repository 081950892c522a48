using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PkiProtocolServer.Benchmarks;

/// <summary>The single-core P-256 ceiling of this machine: <c>openssl speed -seconds N ecdsap256</c>.</summary>
internal sealed partial record OpensslSpeed(double SignPerSecond, double VerifyPerSecond, string Version, string Line)
{
    public static OpensslSpeed Run(int seconds)
    {
        var version = RunOpenssl("version").Trim();
        var output = RunOpenssl("speed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture), "ecdsap256");

        // e.g. " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  51950.0  16959.0"
        var match = ResultLine().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException("no 'bits ecdsa (nistp256)' result line in openssl speed output:\n" + output);
        }

        return new OpensslSpeed(
            double.Parse(match.Groups["sign"].Value, CultureInfo.InvariantCulture),
            double.Parse(match.Groups["verify"].Value, CultureInfo.InvariantCulture),
            version,
            match.Value.Trim());
    }

    private static string RunOpenssl(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        }

        return stdout;
    }

    [GeneratedRegex(@"^\s*256 bits ecdsa \(nistp256\)\s+\S+s\s+\S+s\s+(?<sign>[0-9.]+)\s+(?<verify>[0-9.]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
