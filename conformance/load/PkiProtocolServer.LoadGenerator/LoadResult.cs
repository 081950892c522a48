using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PkiProtocolServer.LoadGenerator;

/// <summary>What a run measured, and the one report every scenario prints.</summary>
public sealed record LoadResult
{
    public required string Description { get; init; }

    public required int Concurrency { get; init; }

    public required TimeSpan Window { get; init; }

    /// <summary>Latencies of successful calls in the measured window, sorted.</summary>
    public required double[] LatenciesMs { get; init; }

    public required IReadOnlyDictionary<string, int> Failures { get; init; }

    /// <summary>Calls started but not finished when the window closed.</summary>
    public required int InFlightAtEnd { get; init; }

    /// <summary>Calls still not finished after the drain time: a hung server shows here.</summary>
    public required int StillInFlightAfterDrain { get; init; }

    /// <summary>What one call is (<c>request</c>, <c>order</c>).</summary>
    public string Unit { get; init; } = "request";

    /// <summary>CPU used over the window by each measured process, by name: the server first, then e.g. <c>redis</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> ProcessCpu { get; init; } = [];

    /// <summary>Calls that succeeded over the whole run: warm-up, window and drain.</summary>
    public int RunCompleted { get; init; }

    /// <summary>CPU of each measured process over the whole run (from the first call to the end of the drain).</summary>
    public IReadOnlyList<KeyValuePair<string, TimeSpan>> RunProcessCpu { get; init; } = [];

    public TimeSpan RunClientCpu { get; init; }

    /// <summary>CPU per call succeeded over the whole run: the fallback figure when the window saw none (a hung server).</summary>
    public double? PerRunCall(TimeSpan cpu) => RunCompleted > 0 ? cpu.TotalMilliseconds / RunCompleted : null;

    /// <summary>Scenario-specific counts over the whole run (warm-up and drain included).</summary>
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();

    /// <summary>The server process's CPU over the window, if measured.</summary>
    public TimeSpan? ServerCpu => ProcessCpu.Count > 0 ? ProcessCpu[0].Value : null;

    /// <summary>All measured processes together (the server and what it depends on).</summary>
    public TimeSpan? TotalServerCpu => ProcessCpu.Count > 0 ? TimeSpan.FromTicks(ProcessCpu.Sum(p => p.Value.Ticks)) : null;

    public required TimeSpan ClientCpu { get; init; }

    public required bool Drained { get; init; }

    /// <summary>The 1-minute load average when the window opened (the machine is shared).</summary>
    public string? LoadAverageBefore { get; init; }

    public int Succeeded => LatenciesMs.Length;

    public int Failed => Failures.Values.Sum();

    public double PerSecond => Succeeded / Window.TotalSeconds;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];

    public double? ServerCpuMsPerRequest => PerCall(ServerCpu);

    public double? TotalServerCpuMsPerRequest => PerCall(TotalServerCpu);

    public double? ClientCpuMsPerRequest => PerCall(ClientCpu);

    /// <summary>CPU per finished call (succeeded or failed) of the window; null when nothing finished or nothing was measured.</summary>
    public double? PerCall(TimeSpan? cpu) => cpu is { } value && Succeeded + Failed > 0 ? value.TotalMilliseconds / (Succeeded + Failed) : null;

    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder()
            .AppendLine(c, $"scenario:          {Description}")
            .AppendLine(c, $"concurrency:       {Concurrency}")
            .AppendLine(c, $"window:            {Window.TotalSeconds:F1} s (load average before: {LoadAverageBefore ?? "?"})")
            .AppendLine(c, $"succeeded:         {Succeeded} ({PerSecond:F0}/s)")
            .AppendLine(c, $"failed:            {Failed}{(Failed == 0 ? string.Empty : " (" + string.Join(", ", Failures.OrderByDescending(f => f.Value).Select(f => f.Key + ": " + f.Value)) + ")")}")
            .AppendLine(c, $"latency ms:        p50 {Percentile(50):F2}, p95 {Percentile(95):F2}, p99 {Percentile(99):F2}, max {(LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1]):F2}")
            .AppendLine(c, $"in flight at end:  {InFlightAtEnd} (after drain: {StillInFlightAfterDrain})");
        if (ProcessCpu.Count == 0)
        {
            text.AppendLine("server CPU:        not measured (give --server-pid)");
        }

        foreach (var (name, cpu) in ProcessCpu)
        {
            text.AppendLine(c, $"{name + " CPU:",-19}{cpu.TotalSeconds:F2} s, {PerCall(cpu):F3} ms per {Unit} ({cpu.TotalSeconds / Window.TotalSeconds * 100:F0}% of one core)");
        }

        if (ProcessCpu.Count > 1)
        {
            text.AppendLine(c, $"{"all measured CPU:",-19}{TotalServerCpu!.Value.TotalSeconds:F2} s, {TotalServerCpuMsPerRequest:F3} ms per {Unit}");
        }

        text.AppendLine(c, $"whole run:         {RunCompleted} {Unit}s succeeded (warm-up, window, drain); CPU ms per {Unit}: {string.Join(", ", RunProcessCpu.Select(p => p.Key + " " + PerRunCall(p.Value)?.ToString("F3", c)).Append("generator " + PerRunCall(RunClientCpu)?.ToString("F3", c)))}");
        text.AppendLine(c, $"load generator CPU: {ClientCpu.TotalSeconds:F2} s, {ClientCpuMsPerRequest:F3} ms per {Unit} ({ClientCpu.TotalSeconds / Window.TotalSeconds * 100:F0}% of one core)");
        foreach (var (name, count) in Counters)
        {
            text.AppendLine(c, $"{name}: {count}");
        }

        return text.ToString();
    }

    /// <summary>JSON has no NaN: a percentile of no calls is null.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    public string ToJson() => JsonSerializer.Serialize(new
    {
        scenario = Description,
        concurrency = Concurrency,
        window_seconds = Window.TotalSeconds,
        succeeded = Succeeded,
        per_second = PerSecond,
        failed = Failed,
        failures = Failures,
        p50_ms = Finite(Percentile(50)),
        p95_ms = Finite(Percentile(95)),
        p99_ms = Finite(Percentile(99)),
        in_flight_at_end = InFlightAtEnd,
        still_in_flight_after_drain = StillInFlightAfterDrain,
        unit = Unit,
        server_cpu_ms_per_request = ServerCpuMsPerRequest,
        process_cpu_ms_per_request = ProcessCpu.ToDictionary(p => p.Key, p => PerCall(p.Value)),
        total_server_cpu_ms_per_request = TotalServerCpuMsPerRequest,
        client_cpu_seconds = ClientCpu.TotalSeconds,
        client_cpu_ms_per_request = ClientCpuMsPerRequest,
        counters = Counters,
        run_completed = RunCompleted,
        run_process_cpu_ms_per_request = RunProcessCpu.ToDictionary(p => p.Key, p => PerRunCall(p.Value)),
        run_total_server_cpu_ms_per_request = RunProcessCpu.Count > 0 ? PerRunCall(TimeSpan.FromTicks(RunProcessCpu.Sum(p => p.Value.Ticks))) : null,
        run_client_cpu_ms_per_request = PerRunCall(RunClientCpu),
        load_average_before = LoadAverageBefore,
    }, new JsonSerializerOptions { WriteIndented = true });
}
