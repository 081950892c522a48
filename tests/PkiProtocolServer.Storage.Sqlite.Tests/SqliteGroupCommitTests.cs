using Microsoft.Data.Sqlite;
using PkiProtocolServer.Contracts.StoreContracts;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Storage.Sqlite.Tests;

/// <summary>
/// Changes that queue behind a running write are committed together (one transaction, one fsync), yet each
/// stays atomic on its own: a failing change is undone alone, and nobody is answered before the commit.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Changes_queued_behind_a_write_share_one_transaction_and_all_land()
    {
        var stores = _temp.OpenFresh();
        var (release, holder) = HoldWriter(stores.Database);
        var transactions = new List<SqliteTransaction>();
        var queued = Enumerable.Range(0, 5).Select(_ => stores.Database.WriteAsync(
            (c, tx, ct) =>
            {
                lock (transactions)
                {
                    transactions.Add(tx);
                }

                return InsertAsync(c, tx, StoreSamples.NewSerial(), ct);
            },
            _ => null,
            None)).ToList();
        await Task.Delay(50);
        Assert.All(queued, t => Assert.False(t.IsCompleted));

        release();
        await holder;
        await Task.WhenAll(queued);

        Assert.Equal(5, transactions.Count);
        Assert.Single(transactions.Distinct());
        Assert.Equal(5, Count(stores.Database));
    }

    [Fact]
    public async Task A_failing_change_in_a_batch_is_undone_alone()
    {
        var stores = _temp.OpenFresh();
        var taken = StoreSamples.Certificate();
        await stores.Certificates.AddAsync(taken, None);
        var (release, holder) = HoldWriter(stores.Database);

        var good1 = stores.Certificates.AddAsync(StoreSamples.Certificate(), None);
        var refused = stores.Database.WriteAsync<int>(
            async (c, tx, ct) =>
            {
                await InsertAsync(c, tx, "0bad", ct); // written, then undone with its change
                throw PkiException.Malformed("refused after writing");
            },
            _ => null,
            None);
        var duplicate = stores.Certificates.AddAsync(StoreSamples.Certificate(taken.Serial, issuerId: "other"), None);
        var good2 = stores.Certificates.AddAsync(StoreSamples.Certificate(), None);
        await Task.Delay(50);

        release();
        await holder;

        await good1;
        await good2;
        Assert.Equal(PkiErrorKind.Malformed, (await Assert.ThrowsAsync<PkiException>(() => refused)).Kind);
        Assert.Equal(PkiErrorKind.Conflict, (await Assert.ThrowsAsync<PkiException>(() => duplicate)).Kind);
        Assert.Null(await stores.Certificates.GetAsync("0bad", None));
        StoreAssert.Same(taken, await stores.Certificates.GetAsync(taken.Serial, None));
        Assert.Equal(3, (await stores.Certificates.ListAsync(null, 10, None)).Count);
    }

    [Fact]
    public async Task A_caller_cancelled_while_queued_stops_waiting_and_its_change_is_never_made()
    {
        var stores = _temp.OpenFresh();
        var (release, holder) = HoldWriter(stores.Database);
        using var cancel = new CancellationTokenSource();
        var certificate = StoreSamples.Certificate();

        var queued = stores.Certificates.AddAsync(certificate, cancel.Token);
        await Task.Delay(20);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        release();
        await holder;
        await stores.Certificates.AddAsync(StoreSamples.Certificate(), None);
        Assert.Null(await stores.Certificates.GetAsync(certificate.Serial, None));
        Assert.Single(await stores.Certificates.ListAsync(null, 10, None));
    }

    [Fact]
    public async Task A_lone_failing_change_is_rolled_back_and_the_writer_goes_on()
    {
        var stores = _temp.OpenFresh();
        var first = StoreSamples.Certificate();
        await stores.Certificates.AddAsync(first, None);

        await StoreAssert.ThrowsKind(PkiErrorKind.Conflict, () => stores.Certificates.AddAsync(StoreSamples.Certificate(first.Serial), None));
        var second = StoreSamples.Certificate();
        await stores.Certificates.AddAsync(second, None);

        StoreAssert.Same(second, await stores.Certificates.GetAsync(second.Serial, None));
        Assert.Equal(2, Count(stores.Database));
    }

    [Fact]
    public async Task Many_concurrent_writers_on_two_instances_lose_nothing()
    {
        var options = _temp.Options();
        var a = _temp.Track(SqliteStores.Open(options));
        var b = _temp.Track(SqliteStores.Open(options));
        var certificates = Enumerable.Range(0, 400).Select(_ => StoreSamples.Certificate()).ToArray();

        await Parallel.ForEachAsync(
            certificates.Select((c, i) => (c, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (item, ct) => await (item.i % 3 == 0 ? b : a).Certificates.AddAsync(item.c, ct));

        Assert.Equal(certificates.Length, Count(a.Database));
    }

    /// <summary>Starts a write that holds the writer (inside its transaction) until released.</summary>
    private static (Action Release, Task Holder) HoldWriter(SqliteDatabase database)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = database.WriteAsync(
            async (_, _, _) =>
            {
                started.SetResult();
                await gate.Task;
                return 0;
            },
            _ => null,
            None);
        started.Task.Wait(TimeSpan.FromSeconds(10));
        return (() => gate.SetResult(), holder);
    }

    private static async Task<int> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string serial, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO issued_certificates (serial, issuer_id, role, common_name, subject_alt_names, not_before, not_after, certificate_der, issued_at)
            VALUES (@serial, 'iss-1', NULL, NULL, '[]', 0, 1, x'00', 0)
            """;
        command.Parameters.AddWithValue("@serial", serial);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static long Count(SqliteDatabase database)
    {
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM issued_certificates";
        return (long)command.ExecuteScalar()!;
    }
}
