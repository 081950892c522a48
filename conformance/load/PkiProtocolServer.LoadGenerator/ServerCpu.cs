using System.Globalization;

namespace PkiProtocolServer.LoadGenerator;

/// <summary>
/// CPU time a process (the server, or one it depends on such as redis-server) has used, from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime, fields 14 and 15, in clock
/// ticks of <c>sysconf(_SC_CLK_TCK)</c>, 100 on Linux).
/// </summary>
public sealed class ServerCpu
{
    private const double TicksPerSecond = 100;
    private readonly string _path;

    public ServerCpu(int pid, string name = "server")
    {
        Name = name;
        _path = $"/proc/{pid}/stat";
        if (!File.Exists(_path))
        {
            throw new ArgumentException($"no process {pid} ({_path} does not exist)");
        }
    }

    /// <summary>What the report calls this process (<c>server</c>, <c>redis</c>).</summary>
    public string Name { get; }

    public TimeSpan Read()
    {
        var stat = File.ReadAllText(_path);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }
}
