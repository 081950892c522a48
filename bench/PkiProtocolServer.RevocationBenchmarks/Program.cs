using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using PkiProtocolServer.Benchmarks;

// Usage: dotnet run -c Release --project bench/PkiProtocolServer.RevocationBenchmarks -- [--quick] [--server path/to/PkiProtocolServer.dll] [--write docs/performance.md]
var quick = args.Contains("--quick");
var server = Option("--server") ?? Path.Combine(RepositoryRoot(), "src/PkiProtocolServer/bin/Release/net10.0/PkiProtocolServer.dll");
var write = Option("--write");
var sizes = quick ? new[] { 10_000 } : [100_000, 1_000_000];
var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
var culture = CultureInfo.InvariantCulture;

var crls = new List<CrlBenchmark.Result>();
foreach (var size in sizes)
{
    Console.WriteLine($"CRL build, {size:N0} entries...");
    var result = await CrlBenchmark.RunAsync(size, repetitions: 3);
    crls.Add(result);
    Console.WriteLine($"  load {result.Load.TotalSeconds:F1} s; builds {string.Join(", ", result.Builds.Select(b => b.TotalSeconds.ToString("F2", culture)))} s; {result.CrlBytes / 1048576.0:F1} MiB; peak +{result.PeakWorkingSet / 1048576.0:F0} MiB working set; openssl verify: {result.OpensslVerified}");
}

Console.WriteLine("OCSP in process...");
var (memory, shared) = await OcspCoreBenchmark.RunAsync(certificates: 1000, concurrency: 8, duration);
Console.WriteLine($"  node memory: {memory.PerSecond:N0}/s; shared cache: {shared.PerSecond:N0}/s");

OcspHttpBenchmark.Result? http = null;
if (File.Exists(server))
{
    Console.WriteLine("OCSP over HTTP against " + server + "...");
    http = await OcspHttpBenchmark.RunAsync(server, certificates: 200, concurrency: 32, duration);
    Console.WriteLine($"  GET {http.Get.PerSecond:N0}/s (p99 {http.Get.P99Micros / 1000:F1} ms); POST {http.Post.PerSecond:N0}/s; server CPU {http.ServerCpuMicrosPerResponse:F0} µs per response");
}
else
{
    Console.WriteLine("OCSP over HTTP skipped: build the server first (dotnet build -c Release) or pass --server");
}

var section = Section();
Console.WriteLine();
Console.WriteLine(section);
if (write is not null)
{
    PerformanceDocument.WriteSection(write, section);
    Console.WriteLine("written to " + write);
}

return 0;

string Section()
{
    var s = new StringBuilder();
    s.AppendLine("## Revocation: CRL builds and OCSP responses");
    s.AppendLine();
    s.AppendLine(culture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} by `bench/PkiProtocolServer.RevocationBenchmarks` (`dotnet run -c Release --project bench/PkiProtocolServer.RevocationBenchmarks -- --write docs/performance.md`) on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}, shared with other builds running at the time: compare figures from one run, not across machines.");
    s.AppendLine();
    s.AppendLine("### CRL build (complete CRL, one issuer, P-256 software key)");
    s.AppendLine();
    s.AppendLine("Time from the call to published: stream the entries from SQLite, encode them, sign through the signer seam, store the CRL. Three builds each; entries loaded beforehand in one bulk transaction (load time shown for scale). A quarter of the entries carry keyCompromise, a quarter superseded, a tenth an invalidity date.");
    s.AppendLine();
    s.AppendLine("| entries | build (best / median / worst) | CRL size | peak memory above baseline (working set / managed heap) | allocated per build | openssl verifies it | bulk load |");
    s.AppendLine("| ---: | --- | ---: | --- | ---: | --- | ---: |");
    foreach (var r in crls)
    {
        var sorted = r.Builds.Order().ToList();
        s.AppendLine(culture, $"| {r.Entries:N0} | {sorted[0].TotalSeconds:F2} s / {sorted[sorted.Count / 2].TotalSeconds:F2} s / {sorted[^1].TotalSeconds:F2} s | {r.CrlBytes / 1048576.0:F1} MiB | {r.PeakWorkingSet / 1048576.0:F0} MiB / {r.PeakHeap / 1048576.0:F0} MiB | {r.Allocated / 1048576.0:F0} MiB | {(r.OpensslVerified ? "yes" : "NO")} | {r.Load.TotalSeconds:F1} s |");
    }

    s.AppendLine();
    s.AppendLine("Target: under 5 s for a million entries. Memory is dominated by the encoded CRL itself (about 40 bytes per entry) held while it is written, copied once for signing and once into the store; entries are streamed, never held as objects. Sharding (`Pki:Revocation:Crl:Shards`) divides the size of each shard's CRL, what a relying party downloads, and the cost of rebuilding one after a revocation by the shard count; the complete CRL of every entry is still built.");
    s.AppendLine();
    s.AppendLine("### OCSP responses per second from the cache");
    s.AppendLine();
    s.AppendLine("| path | responses/s | p50 latency | p99 latency | concurrency |");
    s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
    Row("responder in process, node memory (default, 2 s)", memory);
    Row("responder in process, shared cache (SQLite) on every request", shared);
    if (http is not null)
    {
        Row("HTTP GET `/ocsp/{base64}` (RFC 5019) to the server process", http.Get);
        Row("HTTP POST `/ocsp` to the server process", http.Post);
    }

    s.AppendLine();
    if (http is not null)
    {
        s.AppendLine(culture, $"Server CPU per HTTP GET response: {http.ServerCpuMicrosPerResponse:F0} µs (process CPU time over the GET run / responses), so one core of the server alone serves about {1_000_000 / Math.Max(1, http.ServerCpuMicrosPerResponse):N0} responses/s; the HTTP rows are limited by the load generator (this process, HttpClient, {http.Get.Concurrency} connections) sharing the {Environment.ProcessorCount} cores. Every response in the runs was checked to be a successful OCSP response. Each row follows an uncounted 2 s warm-up.");
        s.AppendLine();
    }

    s.AppendLine("Target: at least 20,000 responses/s from the cache. Requests with a nonce are signed per request (P-256 delegated responder key in software: one ECDSA signature each) and are not part of these figures.");
    return s.ToString();

    void Row(string name, LoadRunner.Result r)
    {
        var failed = r.Failed > 0 ? string.Create(culture, $" ({r.Failed} failed)") : string.Empty;
        s.AppendLine(culture, $"| {name} | {r.PerSecond:N0} | {r.P50Micros:N1} µs | {r.P99Micros:N1} µs | {r.Concurrency} |{failed}");
    }
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "PkiProtocolServer.sln")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
