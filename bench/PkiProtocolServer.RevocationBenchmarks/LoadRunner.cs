using System.Diagnostics;

namespace PkiProtocolServer.Benchmarks;

/// <summary>Runs N workers calling an operation for a fixed time and reports throughput and latency percentiles.</summary>
internal static class LoadRunner
{
    public sealed record Result(long Completed, long Failed, TimeSpan Elapsed, double PerSecond, double P50Micros, double P99Micros, int Concurrency);

    /// <summary>Runs a 2 s warm-up (JIT tiering, connection pools) that is not counted, then the measured run.</summary>
    public static async Task<Result> RunAsync(int concurrency, TimeSpan duration, Func<int, long, Task<bool>> operation)
    {
        await MeasureAsync(concurrency, TimeSpan.FromSeconds(2), operation);
        return await MeasureAsync(concurrency, duration, operation);
    }

    private static async Task<Result> MeasureAsync(int concurrency, TimeSpan duration, Func<int, long, Task<bool>> operation)
    {
        var stop = Stopwatch.StartNew();
        var latencies = new List<long>[concurrency];
        var failed = new long[concurrency];
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(1 << 16);
            long i = w;
            while (stop.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                var ok = await operation(w, i);
                mine.Add(Stopwatch.GetTimestamp() - start);
                if (!ok)
                {
                    failed[w]++;
                }

                i += concurrency;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        stop.Stop();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(all.Length * p))] * 1_000_000.0 / Stopwatch.Frequency;
        var completed = all.LongLength;
        return new Result(completed, failed.Sum(), stop.Elapsed, completed / stop.Elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), concurrency);
    }
}
