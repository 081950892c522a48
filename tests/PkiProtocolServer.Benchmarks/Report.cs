using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace PkiProtocolServer.Benchmarks;

/// <summary>The figures of one run as a Markdown section of docs/performance.md.</summary>
internal sealed class Report
{
    public const string Begin = "<!-- issuance-benchmark:begin -->";
    public const string End = "<!-- issuance-benchmark:end -->";

    public required BenchmarkOptions Options { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public string LoadAverageAtStart { get; } = LoadAverage();

    public OpensslSpeed? OpensslBefore { get; set; }

    public OpensslSpeed? OpensslAfter { get; set; }

    public List<(string Custody, Measurement Figures)> EndToEnd { get; } = [];

    public List<Measurement> Breakdown { get; } = [];

    public string ToMarkdown()
    {
        var before = OpensslBefore!;
        var after = OpensslAfter ?? before;
        var sign = Math.Max(before.SignPerSecond, after.SignPerSecond);
        var verify = Math.Max(before.VerifyPerSecond, after.VerifyPerSecond);
        var bound = 1 / ((1 / sign) + (1 / verify));
        var target = bound / 2;
        Measurement Software(Func<int, bool> parallelism) => EndToEnd.First(e => e.Custody == "software" && parallelism(e.Figures.Parallelism)).Figures;
        var softwareP1 = Software(p => p == 1);
        var softwarePerCore = Software(p => p == Environment.ProcessorCount);
        var softwareMany = EndToEnd.Where(e => e.Custody == "software").Select(e => e.Figures).MaxBy(m => m.Parallelism)!;
        var insert = Breakdown.FirstOrDefault(m => m.Name.StartsWith("store insert", StringComparison.Ordinal) && m.Parallelism == 1);

        var s = new StringBuilder();
        s.AppendLine(Begin);
        s.AppendLine("## CSR → certificate issuance, P-256");
        s.AppendLine();
        s.AppendLine("Written by `bench/issuance.sh` (the harness in `tests/PkiProtocolServer.Benchmarks`); rerun it to refresh this section.");
        s.AppendLine();
        s.AppendLine("### Run");
        s.AppendLine();
        s.AppendLine(I($"- Date: {StartedAt:yyyy-MM-dd HH:mm} UTC"));
        s.AppendLine(I($"- Machine: `nproc` = {Environment.ProcessorCount}, CPU `{CpuModel()}`, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription} (server GC, as the host), {before.Version}"));
        s.AppendLine(I($"- A **shared 2-core VM**: other engineers build and test on it at the same time, so figures move by tens of percent between runs. Load average at start: {LoadAverageAtStart}; at end: {LoadAverage()}."));
        var command = Options.InvokedAs
            ?? "dotnet tests/PkiProtocolServer.Benchmarks/bin/Release/net10.0/PkiProtocolServer.Benchmarks.dll " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        s.AppendLine(I($"- Command: `{command}` (from the repository root; it builds Release first)"));
        s.AppendLine(I($"- Each case: warm-up rounds (at least {Options.WarmupRounds}, and at least {Options.WarmupSeconds:0.#} s, so that .NET's background recompilation of hot code is over), then {Options.Rounds} timed rounds of {Options.Csrs} issuances over {Options.Csrs} distinct pre-generated P-256 CSRs; the figure is the median round, min–max beside it. CPU µs/op is the whole process's CPU time (all threads) per operation."));
        s.AppendLine();
        s.AppendLine("End to end is the production path, per certificate: `CertificationRequest.Parse` of the PEM CSR (DER walk and its signature verified), then `IssuanceService.SignAsync`: role read from SQLite and policy, issuer snapshot, TBS written, ECDSA P-256/SHA-256 signature through the custody seam, the certificate **inserted into SQLite (WAL, `synchronous=FULL`: committed to stable storage) before it is returned**, and one JSON audit line appended and flushed. The data directory is a fresh temp folder on the machine's disk; the issuing CA is an intermediate under a software root. Parallelism = concurrent callers.");
        s.AppendLine();
        s.AppendLine("### OpenSSL ceiling (same run)");
        s.AppendLine();
        s.AppendLine("| `openssl speed -seconds " + Options.OpensslSeconds.ToString(CultureInfo.InvariantCulture) + " ecdsap256` | sign/s | verify/s |");
        s.AppendLine("| --- | ---: | ---: |");
        s.AppendLine(I($"| before the .NET cases | {before.SignPerSecond:N0} | {before.VerifyPerSecond:N0} |"));
        if (OpensslAfter is not null)
        {
            s.AppendLine(I($"| after the .NET cases | {after.SignPerSecond:N0} | {after.VerifyPerSecond:N0} |"));
        }

        s.AppendLine();
        s.AppendLine(I($"One issuance needs one verify (the CSR) and one sign (the certificate), so one core of this machine allows at most 1 / (1/{sign:N0} + 1/{verify:N0}) = **{bound:N0} issuances/s** on crypto alone (the better of the two openssl runs for each figure). Target: 50 % of that = **{target:N0}/s**."));
        s.AppendLine();
        s.AppendLine("### End-to-end issuance");
        s.AppendLine();
        s.AppendLine("| CA key custody | parallelism | issuances/s (median) | min–max | µs/issuance (wall) | CPU µs/issuance | vs single-core bound |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (custody, m) in EndToEnd)
        {
            s.AppendLine(I($"| {custody} | {m.Parallelism} | **{m.Median:N0}** | {m.Min:N0}–{m.Max:N0} | {m.MicrosecondsPerOperation:N0} | {m.CpuMicrosecondsPerOperation:N0} | {m.Median / bound:P0} |"));
        }

        s.AppendLine();
        s.AppendLine("### Target");
        s.AppendLine();
        var met = softwareP1.Median >= target;
        s.AppendLine(I($"- **Compared with the single-core openssl bound: software custody at parallelism 1** (one caller at a time, so one core's worth of work): {softwareP1.Median:N0}/s against the target of {target:N0}/s, {softwareP1.Median / bound:P0} of the bound: **target {(met ? "met" : "not met")}**."));
        if (!met && insert is not null)
        {
            var budget = 1e6 / target;
            s.AppendLine(I($"  At parallelism 1 each issuance waits for its own durable commit: the store insert alone (one row, one WAL fsync) takes {insert.MicrosecondsPerOperation:N0} µs here, against the {budget:N0} µs per issuance the target allows for everything; crypto takes {1e6 / sign + (1e6 / verify):N0} µs of it. Meeting the target one request at a time would need a commit that does not wait for the disk (`synchronous=NORMAL`), which the design forbids."));
        }

        if (softwarePerCore.Parallelism > 1)
        {
            var perCore = softwarePerCore.Median / softwarePerCore.Parallelism;
            s.AppendLine(I($"- Parallelism {softwarePerCore.Parallelism} (one caller per core): {softwarePerCore.Median:N0}/s, {softwarePerCore.Median / bound:P0} of the single-core bound with both cores, {perCore:N0}/s = {perCore / bound:P0} of it per core: **{(softwarePerCore.Median >= target ? "at or above" : "below")} the target with both cores**."));
        }

        if (softwareMany.Parallelism > softwarePerCore.Parallelism)
        {
            s.AppendLine(I($"- Parallelism {softwareMany.Parallelism} (a server with many clients; concurrent issuances share commits): {softwareMany.Median:N0}/s, {softwareMany.Median / bound:P0} of the single-core bound with both cores: **{(softwareMany.Median >= target ? "at or above" : "below")} the target with both cores**."));
        }

        s.AppendLine("- The SoftHSM rows have no target: its P-256 signature is slower than OpenSSL's (see the breakdown) and runs through PKCS#11 sessions.");
        s.AppendLine();
        s.AppendLine("### Breakdown (software CA unless named)");
        s.AppendLine();
        s.AppendLine("| step | parallelism | ops/s (median) | µs/op (wall) | CPU µs/op |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var m in Breakdown)
        {
            s.AppendLine(I($"| {m.Name} | {m.Parallelism} | {m.Median:N0} | {m.MicrosecondsPerOperation:N1} | {m.CpuMicrosecondsPerOperation:N1} |"));
        }

        s.AppendLine();
        s.AppendLine(End);
        return s.ToString();
    }

    /// <summary>Replaces the marked section of <paramref name="path"/>, or creates the file / appends the section.</summary>
    public static void WriteSection(string path, string section)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(directory!);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, "# Performance\n\nFigures measured on the development machines; compare only figures taken in the same run.\n\n" + section);
            return;
        }

        var text = File.ReadAllText(path);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin >= 0 && end > begin)
        {
            var after = end + End.Length;
            if (after < text.Length && text[after] == '\n')
            {
                after++;
            }

            text = text[..begin] + section + text[after..];
        }
        else
        {
            text = text.TrimEnd('\n') + "\n\n" + section;
        }

        File.WriteAllText(path, text);
    }

    private static string I(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
