using System.Diagnostics;

namespace PkiProtocolServer.Benchmarks;

/// <summary>Samples the process's working set and managed heap while something runs, to report the peak above the baseline.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakWorkingSet;
    private long _peakHeap;

    public MemorySampler()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        BaselineWorkingSet = Process.GetCurrentProcess().WorkingSet64;
        BaselineHeap = GC.GetTotalMemory(false);
        _loop = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop.IsCancellationRequested)
            {
                process.Refresh();
                _peakWorkingSet = Math.Max(_peakWorkingSet, process.WorkingSet64);
                _peakHeap = Math.Max(_peakHeap, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(5, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public long BaselineWorkingSet { get; }

    public long BaselineHeap { get; }

    public long PeakWorkingSetAboveBaseline => Math.Max(0, _peakWorkingSet - BaselineWorkingSet);

    public long PeakHeapAboveBaseline => Math.Max(0, _peakHeap - BaselineHeap);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
