using System.Diagnostics;

namespace PkiProtocolServer.Est.Tests.Support;

/// <summary>openssl as an independent reader of what the EST code writes.</summary>
public sealed class OpensslCli : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pki-est-openssl-").FullName;

    public string Write(string name, byte[] contents)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, contents);
        return path;
    }

    public string Write(string name, string contents)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, contents);
        return path;
    }

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
