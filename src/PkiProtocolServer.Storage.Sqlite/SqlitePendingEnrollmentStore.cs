using Microsoft.Data.Sqlite;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Storage.Sqlite.Documents;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>
/// EST enrollments held for manual approval, in table <c>est_enrollments</c>. A partial unique index keeps one open
/// request per label, operation and CSR hash; every state change is a conditional UPDATE (compare-and-set).
/// </summary>
public sealed class SqlitePendingEnrollmentStore : IPendingEnrollmentStore
{
    private const string Columns = "id, label, operation, request_hash, csr_der, requester, common_name, subject_alt_names, state, created_at, decided_at, decided_by, reason, completed_at, serial";
    private const string OpenStates = "('pending', 'approved', 'rejected')";

    private readonly SqliteDatabase _database;

    public SqlitePendingEnrollmentStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task<PendingEnrollment> AddOrGetOpenAsync(PendingEnrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            var open = await FindOpen(c, tx, enrollment.Label, enrollment.Operation, enrollment.RequestHash, ct).ConfigureAwait(false);
            if (open is not null)
            {
                return open;
            }

            await c.ExecuteAsync(tx,
                $"""
                INSERT INTO est_enrollments ({Columns}) VALUES (@id, @label, @operation, @request_hash, @csr_der, @requester, @common_name,
                    @subject_alt_names, @state, @created_at, @decided_at, @decided_by, @reason, @completed_at, @serial)
                """,
                ct,
                ("@id", enrollment.Id),
                ("@label", enrollment.Label),
                ("@operation", Name(enrollment.Operation)),
                ("@request_hash", enrollment.RequestHash),
                ("@csr_der", enrollment.CsrDer),
                ("@requester", enrollment.Requester),
                ("@common_name", enrollment.CommonName),
                ("@subject_alt_names", StoreJson.Write([.. enrollment.SubjectAlternativeNames], StoreJsonContext.Default.ListString)),
                ("@state", Name(enrollment.State)),
                ("@created_at", SqliteCommands.ToUnixMilliseconds(enrollment.CreatedAt)),
                ("@decided_at", Millis(enrollment.DecidedAt)),
                ("@decided_by", enrollment.DecidedBy),
                ("@reason", enrollment.Reason),
                ("@completed_at", Millis(enrollment.CompletedAt)),
                ("@serial", enrollment.Serial)).ConfigureAwait(false);
            return enrollment;
        }, column => column == "est_enrollments.id" ? $"an EST enrollment with id {enrollment.Id} exists already" : null, cancellationToken);
    }

    public Task<PendingEnrollment?> FindOpenAsync(string label, EstOperation operation, string requestHash, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => FindOpen(c, null, label, operation, requestHash, ct), cancellationToken);

    public Task<PendingEnrollment?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null, $"SELECT {Columns} FROM est_enrollments WHERE id = @id", Read, ct, ("@id", id)), cancellationToken);

    public async Task<IReadOnlyList<PendingEnrollment>> ListAsync(PendingEnrollmentState? state, int limit, CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => state is { } only
            ? c.QueryAsync(null, $"SELECT {Columns} FROM est_enrollments WHERE state = @state ORDER BY created_at, id LIMIT @limit", Read, ct, ("@state", Name(only)), ("@limit", limit))
            : c.QueryAsync(null, $"SELECT {Columns} FROM est_enrollments ORDER BY created_at, id LIMIT @limit", Read, ct, ("@limit", limit)), cancellationToken).ConfigureAwait(false);

    public Task<bool> DecideAsync(string id, PendingEnrollmentState decision, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (decision is not (PendingEnrollmentState.Approved or PendingEnrollmentState.Rejected))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "a decision is approved or rejected");
        }

        return Transition(
            "UPDATE est_enrollments SET state = @to, decided_by = @by, reason = @reason, decided_at = @at WHERE id = @id AND state = 'pending'",
            cancellationToken, ("@id", id), ("@to", Name(decision)), ("@by", decidedBy), ("@reason", reason), ("@at", SqliteCommands.ToUnixMilliseconds(at)));
    }

    public Task<bool> ClaimAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        Transition("UPDATE est_enrollments SET state = 'completed', completed_at = @at WHERE id = @id AND state = 'approved'",
            cancellationToken, ("@id", id), ("@at", SqliteCommands.ToUnixMilliseconds(at)));

    public Task RecordSerialAsync(string id, string serial, CancellationToken cancellationToken) =>
        Transition("UPDATE est_enrollments SET serial = @serial WHERE id = @id AND state = 'completed'", cancellationToken, ("@id", id), ("@serial", serial));

    public Task MarkFailedAsync(string id, string reason, CancellationToken cancellationToken) =>
        Transition("UPDATE est_enrollments SET state = 'failed', reason = @reason WHERE id = @id AND state = 'completed'", cancellationToken, ("@id", id), ("@reason", reason));

    private async Task<bool> Transition(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx, sql, ct, parameters), _ => null, cancellationToken).ConfigureAwait(false) == 1;

    private static Task<PendingEnrollment?> FindOpen(SqliteConnection c, SqliteTransaction? tx, string label, EstOperation operation, string requestHash, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync(tx,
            $"SELECT {Columns} FROM est_enrollments WHERE label = @label AND operation = @operation AND request_hash = @hash AND state IN {OpenStates}",
            Read, ct, ("@label", label), ("@operation", Name(operation)), ("@hash", requestHash));

    private static long? Millis(DateTimeOffset? value) => value is { } v ? SqliteCommands.ToUnixMilliseconds(v) : null;

    private static string Name(EstOperation operation) => operation.PathName();

    private static string Name(PendingEnrollmentState state) => state.ToString().ToLowerInvariant();

    private static PendingEnrollment Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Label = r.GetString(1),
        Operation = EstOperations.FromPathName(r.GetString(2)) ?? throw new InvalidDataException($"stored EST operation '{r.GetString(2)}' is unknown"),
        RequestHash = r.GetString(3),
        CsrDer = r.GetBytes(4),
        Requester = r.GetString(5),
        CommonName = r.GetNullableString(6),
        SubjectAlternativeNames = StoreJson.Read(r.GetString(7), StoreJsonContext.Default.ListString, "EST enrollment names"),
        State = Enum.Parse<PendingEnrollmentState>(r.GetString(8), ignoreCase: true),
        CreatedAt = r.GetTimestamp(9),
        DecidedAt = r.IsDBNull(10) ? null : r.GetTimestamp(10),
        DecidedBy = r.GetNullableString(11),
        Reason = r.GetNullableString(12),
        CompletedAt = r.IsDBNull(13) ? null : r.GetTimestamp(13),
        Serial = r.GetNullableString(14),
    };
}
