using System.Diagnostics;

namespace PkiProtocolServer.LoadGenerator;

/// <summary>
/// Runs a scenario with a fixed number of concurrent workers: a warm-up (not measured), then a measured window. Each
/// worker starts its next call when the previous one ends (closed loop), so concurrency is the number in flight.
/// </summary>
public sealed class LoadRunner
{
    private readonly IScenario _scenario;
    private readonly int _concurrency;
    private readonly TimeSpan _warmup;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _drain;
    private int _inFlight;
    private int _completed;

    public LoadRunner(IScenario scenario, int concurrency, TimeSpan warmup, TimeSpan duration, TimeSpan drain)
    {
        _scenario = scenario;
        _concurrency = concurrency;
        _warmup = warmup;
        _duration = duration;
        _drain = drain;
    }

    /// <summary>Runs the scenario; <paramref name="processes"/> are measured over the window (the server first, then
    /// processes it depends on, such as redis-server).</summary>
    public async Task<LoadResult> RunAsync(IReadOnlyList<ServerCpu> processes, CancellationToken cancellationToken)
    {
        await _scenario.PrepareAsync(_concurrency, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var measuring = 0;
        var samples = Enumerable.Range(0, _concurrency).Select(_ => new List<double>()).ToArray();
        var failures = Enumerable.Range(0, _concurrency).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();

        async Task Worker(int worker)
        {
            while (!stop.IsCancellationRequested)
            {
                var measured = Volatile.Read(ref measuring) == 1;
                var started = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _inFlight);
                string? failure;
                try
                {
                    // Calls in flight when the window closes may finish during the drain; they are not cancelled, so a
                    // hung server shows as "in flight at end" rather than as neat failures.
                    failure = await _scenario.RunOnceAsync(worker, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or System.Security.Authentication.AuthenticationException)
                {
                    failure = e.GetType().Name + (e is HttpRequestException { HttpRequestError: var error } ? ":" + error : string.Empty);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }

                if (failure is null)
                {
                    Interlocked.Increment(ref _completed);
                }

                if (!measured || Volatile.Read(ref measuring) != 1)
                {
                    continue;
                }

                if (failure is null)
                {
                    samples[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    failures[worker][failure] = failures[worker].GetValueOrDefault(failure) + 1;
                }
            }
        }

        // The whole run too (warm-up, window and drain): a server that hangs during the warm-up still shows its CPU
        // per completed call.
        var runCpuBefore = processes.Select(p => p.Read()).ToArray();
        var runClientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var workers = Enumerable.Range(0, _concurrency).Select(i => Task.Run(() => Worker(i), CancellationToken.None)).ToArray();
        await Task.Delay(_warmup, cancellationToken);
        var loadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ')[0] : null;
        var cpuBefore = processes.Select(p => p.Read()).ToArray();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var window = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        await Task.Delay(_duration, cancellationToken);
        Volatile.Write(ref measuring, 2);
        var elapsed = window.Elapsed;
        var cpuAfter = processes.Select(p => p.Read()).ToArray();
        var clientAfter = Process.GetCurrentProcess().TotalProcessorTime;
        var inFlightAtEnd = Volatile.Read(ref _inFlight);
        stop.Cancel();
        var all = Task.WhenAll(workers);
        var drained = await Task.WhenAny(all, Task.Delay(_drain, CancellationToken.None)) == all;

        var runCpu = processes.Select((p, i) => new KeyValuePair<string, TimeSpan>(p.Name, p.Read() - runCpuBefore[i])).ToArray();
        var runClient = Process.GetCurrentProcess().TotalProcessorTime - runClientBefore;
        var merged = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (kind, count) in failures.SelectMany(f => f))
        {
            merged[kind] = merged.GetValueOrDefault(kind) + count;
        }

        return new LoadResult
        {
            Description = _scenario.Description,
            Concurrency = _concurrency,
            Window = elapsed,
            LatenciesMs = samples.SelectMany(s => s).Order().ToArray(),
            Failures = merged,
            InFlightAtEnd = inFlightAtEnd,
            StillInFlightAfterDrain = Volatile.Read(ref _inFlight),
            Unit = _scenario.Unit,
            ProcessCpu = processes.Select((p, i) => new KeyValuePair<string, TimeSpan>(p.Name, cpuAfter[i] - cpuBefore[i])).ToArray(),
            Counters = _scenario.Counters,
            RunCompleted = Volatile.Read(ref _completed),
            RunProcessCpu = runCpu,
            RunClientCpu = runClient,
            ClientCpu = clientAfter - clientBefore,
            Drained = drained,
            LoadAverageBefore = loadAverage,
        };
    }
}
