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

    public TimeSpan? ServerCpu { get; init; }

    public required TimeSpan ClientCpu { get; init; }

    public required bool Drained { get; init; }

    public int Succeeded => LatenciesMs.Length;

    public int Failed => Failures.Values.Sum();

    public double PerSecond => Succeeded / Window.TotalSeconds;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];

    public double? ServerCpuMsPerRequest => ServerCpu is { } cpu && Succeeded + Failed > 0 ? cpu.TotalMilliseconds / (Succeeded + Failed) : null;

    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder()
            .AppendLine(c, $"scenario:          {Description}")
            .AppendLine(c, $"concurrency:       {Concurrency}")
            .AppendLine(c, $"window:            {Window.TotalSeconds:F1} s")
            .AppendLine(c, $"succeeded:         {Succeeded} ({PerSecond:F0}/s)")
            .AppendLine(c, $"failed:            {Failed}{(Failed == 0 ? string.Empty : " (" + string.Join(", ", Failures.OrderByDescending(f => f.Value).Select(f => f.Key + ": " + f.Value)) + ")")}")
            .AppendLine(c, $"latency ms:        p50 {Percentile(50):F2}, p95 {Percentile(95):F2}, p99 {Percentile(99):F2}, max {(LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1]):F2}")
            .AppendLine(c, $"in flight at end:  {InFlightAtEnd} (after drain: {StillInFlightAfterDrain})");
        text.AppendLine(ServerCpuMsPerRequest is { } perRequest
            ? string.Create(c, $"server CPU:        {ServerCpu!.Value.TotalSeconds:F2} s, {perRequest:F3} ms per request ({ServerCpu.Value.TotalSeconds / Window.TotalSeconds * 100:F0}% of one core)")
            : "server CPU:        not measured (give --server-pid)");
        text.AppendLine(c, $"load generator CPU: {ClientCpu.TotalSeconds:F2} s ({ClientCpu.TotalSeconds / Window.TotalSeconds * 100:F0}% of one core)");
        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        scenario = Description,
        concurrency = Concurrency,
        window_seconds = Window.TotalSeconds,
        succeeded = Succeeded,
        per_second = PerSecond,
        failed = Failed,
        failures = Failures,
        p50_ms = Percentile(50),
        p95_ms = Percentile(95),
        p99_ms = Percentile(99),
        in_flight_at_end = InFlightAtEnd,
        still_in_flight_after_drain = StillInFlightAfterDrain,
        server_cpu_ms_per_request = ServerCpuMsPerRequest,
        client_cpu_seconds = ClientCpu.TotalSeconds,
    }, new JsonSerializerOptions { WriteIndented = true });
}
