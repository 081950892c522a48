using System.Diagnostics;

namespace PkiProtocolServer.Benchmarks;

/// <summary>One measured case: operations per second per timed round, and process CPU time per operation.</summary>
internal sealed record Measurement(string Name, int Parallelism, int OperationsPerRound, IReadOnlyList<double> Rates, double CpuMicrosecondsPerOperation, long TotalOperations)
{
    public double Median => Harness.Median(Rates);

    public double Min => Rates.Min();

    public double Max => Rates.Max();

    public double MicrosecondsPerOperation => 1e6 / Median;
}

/// <summary>
/// A small Stopwatch harness: warm-up rounds (JIT and tiered compilation, caches, pools) for at least a given
/// time, then timed rounds of a fixed number of operations spread over <c>parallelism</c> workers; the median
/// round is the figure.
/// </summary>
/// <remarks>
/// The warm-up is by time as well as by rounds: .NET recompiles hot methods in the background (tier 0, then
/// instrumented, then optimised) for a second or two after they first run, and that compilation would otherwise
/// be billed to the first timed rounds.
/// </remarks>
internal sealed class Harness(int warmupRounds, TimeSpan warmupTime, int timedRounds, TextWriter log)
{
    public async Task<Measurement> RunAsync(string name, int parallelism, int operations, Func<int, ValueTask> operation)
    {
        var warmup = Stopwatch.StartNew();
        long total = 0;
        for (var i = 0; i < warmupRounds || warmup.Elapsed < warmupTime; i++)
        {
            await RoundAsync(parallelism, operations, operation).ConfigureAwait(false);
            total += operations;
        }

        var rates = new List<double>();
        var cpu = TimeSpan.Zero;
        for (var i = 0; i < timedRounds; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var (elapsed, cpuUsed) = await RoundAsync(parallelism, operations, operation).ConfigureAwait(false);
            rates.Add(operations / elapsed.TotalSeconds);
            cpu += cpuUsed;
            total += operations;
        }

        var result = new Measurement(name, parallelism, operations, rates, cpu.TotalMicroseconds / (operations * (double)timedRounds), total);
        log.WriteLine(
            $"  {name,-48} p={parallelism}  median {result.Median,9:N0}/s  (min {result.Min:N0}, max {result.Max:N0})  {result.MicrosecondsPerOperation,7:N1} µs/op wall  {result.CpuMicrosecondsPerOperation,7:N1} µs/op CPU");
        return result;
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> RoundAsync(int parallelism, int operations, Func<int, ValueTask> operation)
    {
        var next = -1;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var workers = new Task[parallelism];
        for (var w = 0; w < parallelism; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < operations)
                {
                    await operation(i).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        stopwatch.Stop();
        process.Refresh();
        return (stopwatch.Elapsed, process.TotalProcessorTime - cpuBefore);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
