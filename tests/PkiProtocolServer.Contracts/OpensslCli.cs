using System.Diagnostics;
using Xunit;

namespace PkiProtocolServer.Contracts;

/// <summary>The openssl command line on files in a scratch directory: an independent reader and relying party for tests.</summary>
public sealed class OpensslCli : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pki-openssl-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public string RunOk(params string[] arguments)
    {
        var (code, output) = Run(arguments);
        Assert.True(code == 0, $"openssl {string.Join(' ', arguments)} exited {code}: {output}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
