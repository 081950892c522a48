using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using PkiProtocolServer.Core.Revocation;

namespace PkiProtocolServer.Benchmarks;

/// <summary>
/// Time and memory to build, sign and publish a complete CRL of N entries: the store streams the entries, the
/// writer encodes them, the issuer's signer signs, the store keeps the result. Entries are loaded in bulk first
/// (one transaction; revoking a million certificates one API call at a time is not what is measured here).
/// </summary>
internal static class CrlBenchmark
{
    public sealed record Result(int Entries, TimeSpan Load, IReadOnlyList<TimeSpan> Builds, long CrlBytes, long PeakWorkingSet, long PeakHeap, long Allocated, bool OpensslVerified);

    public static async Task<Result> RunAsync(int entries, int repetitions)
    {
        using var ca = await BenchCa.CreateAsync(new RevocationOptions());
        var load = Stopwatch.StartNew();
        Load(ca, entries);
        load.Stop();

        var builds = new List<TimeSpan>();
        long peakWorkingSet = 0, peakHeap = 0, allocated = 0;
        Core.Revocation.Crl.PublishedCrl? crl = null;
        for (var i = 0; i < repetitions; i++)
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            using (var memory = new MemorySampler())
            {
                var watch = Stopwatch.StartNew();
                var info = await ca.Publisher.PublishNowAsync(ca.Intermediate, null, delta: false, CancellationToken.None);
                watch.Stop();
                builds.Add(watch.Elapsed);
                if (info.EntryCount != entries)
                {
                    throw new InvalidOperationException($"the CRL holds {info.EntryCount} entries, not {entries}");
                }

                peakWorkingSet = Math.Max(peakWorkingSet, memory.PeakWorkingSetAboveBaseline);
                peakHeap = Math.Max(peakHeap, memory.PeakHeapAboveBaseline);
            }

            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            crl = await ca.Stores.Crls.GetAsync(ca.Intermediate.Issuer.Id, null, false, CancellationToken.None);
        }

        return new Result(entries, load.Elapsed, builds, crl!.Der.Length, peakWorkingSet, peakHeap, allocated, OpensslVerifies(ca, crl.Der));
    }

    private static void Load(BenchCa ca, int entries)
    {
        using var connection = ca.Stores.Database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO revocations (serial, issuer_id, revocation_seq, revoked_at, reason, invalidity_date, not_after, shard, certificate_der) VALUES ($s, $i, $q, $r, $c, $v, $n, NULL, NULL)";
        var serial = insert.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Text);
        insert.Parameters.AddWithValue("$i", ca.Intermediate.Issuer.Id);
        var sequence = insert.Parameters.Add("$q", Microsoft.Data.Sqlite.SqliteType.Integer);
        var revoked = insert.Parameters.Add("$r", Microsoft.Data.Sqlite.SqliteType.Integer);
        var reason = insert.Parameters.Add("$c", Microsoft.Data.Sqlite.SqliteType.Integer);
        var invalidity = insert.Parameters.Add("$v", Microsoft.Data.Sqlite.SqliteType.Integer);
        var notAfter = insert.Parameters.Add("$n", Microsoft.Data.Sqlite.SqliteType.Integer);
        var now = DateTimeOffset.UtcNow;
        Span<byte> random = stackalloc byte[16];
        for (var i = 1; i <= entries; i++)
        {
            RandomNumberGenerator.Fill(random);
            random[0] = (byte)((random[0] & 0x7f) | 0x01);
            serial.Value = Convert.ToHexStringLower(random);
            sequence.Value = i;
            revoked.Value = now.AddSeconds(-i % 86_400).ToUnixTimeMilliseconds();
            // A realistic mix: most unspecified (no entry extension), some with a reason, a few with an invalidity date.
            reason.Value = (i % 4) switch { 0 => 1, 1 => 4, _ => 0 };
            invalidity.Value = i % 10 == 0 ? now.AddDays(-2).ToUnixTimeMilliseconds() : DBNull.Value;
            notAfter.Value = now.AddDays(30 + (i % 60)).ToUnixTimeMilliseconds();
            insert.ExecuteNonQuery();
        }

        using var counter = connection.CreateCommand();
        counter.Transaction = transaction;
        counter.CommandText = "UPDATE counters SET value = " + entries.ToString(CultureInfo.InvariantCulture) + " WHERE name = 'revocation_seq'";
        counter.ExecuteNonQuery();
        transaction.Commit();
    }

    private static bool OpensslVerifies(BenchCa ca, byte[] der)
    {
        var crl = Path.Combine(ca.Directory, "bench.crl");
        var issuer = Path.Combine(ca.Directory, "int.pem");
        File.WriteAllBytes(crl, der);
        File.WriteAllText(issuer, Core.X509.Pem.Encode("CERTIFICATE", ca.Intermediate.Issuer.CertificateDer));
        var start = new ProcessStartInfo("openssl", ["crl", "-inform", "DER", "-in", crl, "-CAfile", issuer, "-noout"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && output.Contains("verify OK", StringComparison.Ordinal);
    }
}
