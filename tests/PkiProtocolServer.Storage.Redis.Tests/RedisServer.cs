using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis.Tests;

/// <summary>
/// A real <c>redis-server</c> process for one test class: a free port on 127.0.0.1, a temp directory, AOF on,
/// RDB snapshots off. Stopped by its PID (never by name) and its directory removed at dispose. When
/// redis-server is not installed, every test using it fails with the command that installs it: a store
/// contract that silently did not run would read as a store that passed.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string[] _extraArguments;
    private readonly Lazy<ConnectionMultiplexer> _shared;
    private Process? _process;

    /// <summary>Used by xunit as a class fixture.</summary>
    public RedisServer()
        : this([])
    {
    }

    /// <param name="extraArguments">More redis-server options, e.g. <c>--appendfsync always</c>.</param>
    /// <remarks>Internal: xunit wants a class fixture to have exactly one public constructor.</remarks>
    internal RedisServer(params string[] extraArguments)
    {
        _extraArguments = extraArguments;
        Executable = FindExecutable();
        Directory = System.IO.Directory.CreateTempSubdirectory("pki-redis-").FullName;
        Port = FreePort();
        try
        {
            Start();
        }
        catch
        {
            // A constructor that throws gets no Dispose: clean up here.
            DeleteDirectory();
            throw;
        }

        _shared = new Lazy<ConnectionMultiplexer>(() => Connect());
    }

    public string Executable { get; }

    /// <summary>The server's working directory: AOF files and its log.</summary>
    public string Directory { get; }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>One multiplexer shared by the tests of a class (closed at dispose).</summary>
    public ConnectionMultiplexer Multiplexer => _shared.Value;

    /// <summary>Stores under a key prefix never used before: an empty state per call, over the shared multiplexer.</summary>
    public RedisStores OpenFresh() => RedisStores.Open(Multiplexer, NewPrefix());

    public static string NewPrefix() => $"test-{Guid.NewGuid():N}:";

    /// <summary>A new multiplexer of its own (the caller disposes it).</summary>
    public ConnectionMultiplexer Connect(string extraConfiguration = "") =>
        ConnectionMultiplexer.Connect(Endpoint + extraConfiguration);

    /// <summary>Kills the process (SIGKILL, as a crash would) and starts a new one on the same port and directory.</summary>
    public void CrashAndRestart()
    {
        Stop();
        Start();
    }

    /// <summary>Kills the process by its PID; the directory stays until dispose.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        if (_shared.IsValueCreated)
        {
            _shared.Value.Dispose();
        }

        Stop();
        DeleteDirectory();
    }

    private void DeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being closed by the dying process: a temp directory left behind is not a test failure.
        }
    }

    private void Start()
    {
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false };
        string[] arguments =
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", "yes",
            "--dir", Directory,
            "--logfile", Path.Combine(Directory, "redis.log"),
            .. _extraArguments,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} at start: {Log()}");
            }

            if (AnswersPing())
            {
                return;
            }

            Thread.Sleep(20);
        }

        Stop();
        throw new InvalidOperationException($"redis-server did not answer PING on {Endpoint} within {StartTimeout.TotalSeconds} s: {Log()}");
    }

    private bool AnswersPing()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            // A server started with --requirepass answers NOAUTH: it is up all the same.
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            // Redis accepted the connection while still loading the AOF and closed it.
            return false;
        }
    }

    private string Log()
    {
        var path = Path.Combine(Directory, "redis.log");
        return File.Exists(path) ? string.Join(" | ", File.ReadLines(path).TakeLast(5)) : "(no log written)";
    }

    private static string FindExecutable()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("REDIS_SERVER");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException($"REDIS_SERVER names {fromEnvironment}, which does not exist");
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return path.Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"])
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "redis-server is not installed, and the Redis store tests need a real one. Install it "
                + "(Debian/Ubuntu: sudo apt-get install redis-server) or set REDIS_SERVER to its path, then run the tests again.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
