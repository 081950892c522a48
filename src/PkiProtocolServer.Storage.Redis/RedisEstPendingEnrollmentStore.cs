using System.Globalization;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// EST enrollments held for manual approval, one string key <c>est-enrollment:&lt;id&gt;</c> each, indexed by creation
/// and per state (sorted sets) and, while open, by request in the hash <c>est-enrollments:open</c>, which keeps one open
/// enrollment per label, operation and CSR hash. Every transition is a compare-and-set script on the JSON read before.
/// </summary>
public sealed class RedisEstPendingEnrollmentStore : IPendingEnrollmentStore
{
    private readonly RedisConnection _connection;

    public RedisEstPendingEnrollmentStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task<PendingEnrollment> AddOrGetOpenAsync(PendingEnrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        while (true)
        {
            var result = (RedisResult[])(await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisEstScripts.AddEnrollment, new
            {
                entry = RedisEstKeys.Enrollment(enrollment.Id),
                open = RedisEstKeys.OpenEnrollments,
                byCreation = RedisEstKeys.EnrollmentsByCreation,
                byState = RedisEstKeys.EnrollmentsByState(enrollment.State),
                id = enrollment.Id,
                openField = RedisEstKeys.OpenField(enrollment.Label, enrollment.Operation, enrollment.RequestHash),
                json = Write(enrollment),
                createdAt = enrollment.CreatedAt.ToUnixTimeMilliseconds(),
            }), cancellationToken).ConfigureAwait(false))!;
            switch ((int)result[0])
            {
                case 1:
                    return enrollment;
                case 2:
                    throw PkiException.Conflict($"an EST enrollment with id {enrollment.Id} exists already");
            }

            // The open one may close between the script and this read; then try again.
            var openId = (string)result[1]!;
            if (await GetAsync(openId, cancellationToken).ConfigureAwait(false) is { } open && IsOpen(open.State))
            {
                return open;
            }

            await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisEstScripts.DropStaleOpen, new
            {
                open = RedisEstKeys.OpenEnrollments,
                openField = RedisEstKeys.OpenField(enrollment.Label, enrollment.Operation, enrollment.RequestHash),
                id = openId,
            }), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<PendingEnrollment?> FindOpenAsync(string label, EstOperation operation, string requestHash, CancellationToken cancellationToken)
    {
        var id = await _connection.ReadAsync(db => db.HashGetAsync(RedisEstKeys.OpenEnrollments, RedisEstKeys.OpenField(label, operation, requestHash)), cancellationToken).ConfigureAwait(false);
        if (id.IsNull)
        {
            return null;
        }

        var enrollment = await GetAsync((string)id!, cancellationToken).ConfigureAwait(false);
        return enrollment is not null && IsOpen(enrollment.State) ? enrollment : null;
    }

    public async Task<PendingEnrollment?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var value = await ReadRawAsync(id, cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : Read(value);
    }

    public Task<IReadOnlyList<PendingEnrollment>> ListAsync(PendingEnrollmentState? state, int limit, CancellationToken cancellationToken)
    {
        if (limit < 1)
        {
            return Task.FromResult<IReadOnlyList<PendingEnrollment>>([]);
        }

        var index = state is { } only ? RedisEstKeys.EnrollmentsByState(only) : RedisEstKeys.EnrollmentsByCreation;
        return _connection.ReadAsync<IReadOnlyList<PendingEnrollment>>(async db =>
        {
            // Equal scores (same creation millisecond) come back in member order: by id, as the embedded store's ORDER BY created_at, id.
            var ids = await db.SortedSetRangeByRankAsync(index, 0, limit - 1).ConfigureAwait(false);
            if (ids.Length == 0)
            {
                return [];
            }

            var values = await db.StringGetAsync([.. ids.Select(i => RedisEstKeys.Enrollment((string)i!))]).ConfigureAwait(false);
            return [.. values.Where(v => !v.IsNull).Select(Read)];
        }, cancellationToken);
    }

    public Task<bool> DecideAsync(string id, PendingEnrollmentState decision, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (decision is not (PendingEnrollmentState.Approved or PendingEnrollmentState.Rejected))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "a decision is approved or rejected");
        }

        return TransitionAsync(id, PendingEnrollmentState.Pending, e => e with { State = decision, DecidedBy = decidedBy, Reason = reason, DecidedAt = at }, cancellationToken);
    }

    public Task<bool> ClaimAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        TransitionAsync(id, PendingEnrollmentState.Approved, e => e with { State = PendingEnrollmentState.Completed, CompletedAt = at }, cancellationToken);

    public Task RecordSerialAsync(string id, string serial, CancellationToken cancellationToken) =>
        TransitionAsync(id, PendingEnrollmentState.Completed, e => e with { Serial = serial }, cancellationToken);

    public Task MarkFailedAsync(string id, string reason, CancellationToken cancellationToken) =>
        TransitionAsync(id, PendingEnrollmentState.Completed, e => e with { State = PendingEnrollmentState.Failed, Reason = reason }, cancellationToken);

    /// <summary>Applies <paramref name="change"/> when the enrollment is in state <paramref name="from"/>; false when it is not (or unknown).</summary>
    private async Task<bool> TransitionAsync(string id, PendingEnrollmentState from, Func<PendingEnrollment, PendingEnrollment> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var value = await ReadRawAsync(id, cancellationToken).ConfigureAwait(false);
            if (value.IsNull)
            {
                return false;
            }

            var current = Read(value);
            if (current.State != from)
            {
                return false;
            }

            var next = change(current);
            var changed = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisEstScripts.TransitionEnrollment, new
            {
                entry = RedisEstKeys.Enrollment(id),
                open = RedisEstKeys.OpenEnrollments,
                fromState = RedisEstKeys.EnrollmentsByState(current.State),
                toState = RedisEstKeys.EnrollmentsByState(next.State),
                id,
                openField = RedisEstKeys.OpenField(current.Label, current.Operation, current.RequestHash),
                expected = value,
                json = Write(next),
                createdAt = current.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                closes = IsOpen(next.State) ? "0" : "1",
            }), cancellationToken).ConfigureAwait(false);
            if (changed == 1)
            {
                return true;
            }
        }
    }

    private static bool IsOpen(PendingEnrollmentState state) =>
        state is PendingEnrollmentState.Pending or PendingEnrollmentState.Approved or PendingEnrollmentState.Rejected;

    private Task<RedisValue> ReadRawAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(db => db.StringGetAsync(RedisEstKeys.Enrollment(id)), cancellationToken);

    private static RedisValue Write(PendingEnrollment enrollment) =>
        RedisJson.Write(PendingEnrollmentDocument.From(enrollment), RedisEstJsonContext.Instance.PendingEnrollmentDocument);

    private static PendingEnrollment Read(RedisValue value) =>
        RedisJson.Read(value, RedisEstJsonContext.Instance.PendingEnrollmentDocument, "EST enrollment").ToEnrollment();
}
