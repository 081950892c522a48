using System.Diagnostics;

namespace PkiProtocolServer.Tests.Support;

/// <summary>The openssl command line, run as a process on files in a scratch directory.</summary>
public sealed class Openssl : IDisposable
{
    public Openssl()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pki-openssl-").FullName;
    }

    public string Directory { get; }

    public string File(string name, string contents)
    {
        var path = Path.Combine(Directory, name);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Runs openssl and returns (exit code, stdout + stderr).</summary>
    public (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
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

    /// <summary><c>openssl verify -CAfile root -untrusted chain leaf</c>; returns the output, asserting success.</summary>
    public string Verify(string rootPem, IEnumerable<string> intermediatePems, string leafPem, params string[] extra)
    {
        var root = File("root.pem", rootPem);
        var chain = File("chain.pem", string.Concat(intermediatePems));
        var leaf = File("leaf.pem", leafPem);
        var arguments = new List<string> { "verify", "-CAfile", root };
        if (new FileInfo(chain).Length > 0)
        {
            arguments.AddRange(["-untrusted", chain]);
        }

        arguments.AddRange(extra);
        arguments.Add(leaf);
        var output = RunOk([.. arguments]);
        Assert.Contains("OK", output);
        return output;
    }

    /// <summary>A CSR signed with SHA-1 by an RSA 2048 key (what a CA must refuse).</summary>
    public string Sha1Csr(string commonName) => Csr(commonName, "-newkey", "rsa:2048", "-sha1");

    /// <summary>An RSA 2048 / SHA-256 CSR with a DNS SAN, as openssl writes one.</summary>
    public string RsaCsr(string commonName) => Csr(commonName, "-newkey", "rsa:2048", "-sha256", "-addext", "subjectAltName=DNS:" + commonName);

    private string Csr(string commonName, params string[] options)
    {
        var name = "req-" + Guid.NewGuid().ToString("N") + ".pem";
        RunOk(["req", "-new", "-nodes", "-keyout", PathOf(name + ".key"), "-subj", "/CN=" + commonName, .. options, "-out", PathOf(name)]);
        return System.IO.File.ReadAllText(PathOf(name));
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
