using System.Globalization;
using PkiProtocolServer.Core.Coordination;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Leases (hash <c>lease:&lt;name&gt;</c> of owner and expiry) and status documents (<c>status:&lt;name&gt;</c>). A lease
/// is taken and released by compare-and-set scripts; expiry is judged by the caller's clock, as the embedded store
/// does, and the key also carries a TTL of the lease's duration so a dead holder's lease vanishes by itself.
/// </summary>
public sealed class RedisCoordinationStore : ICoordinationStore
{
    private readonly RedisConnection _connection;

    public RedisCoordinationStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task<bool> TryAcquireLeaseAsync(string name, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var ttl = Math.Max(1L, (long)Math.Ceiling(duration.TotalMilliseconds));
        var taken = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisRevocationScripts.AcquireLease, new
        {
            lease = RedisRevocationKeys.Lease(name),
            owner,
            now = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            expiresAt = (now + duration).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ttl = ttl.ToString(CultureInfo.InvariantCulture),
        }), cancellationToken).ConfigureAwait(false);
        return taken == 1;
    }

    public Task ReleaseLeaseAsync(string name, string owner, CancellationToken cancellationToken) =>
        _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisRevocationScripts.ReleaseLease, new
        {
            lease = RedisRevocationKeys.Lease(name),
            owner,
        }), cancellationToken);

    public Task<StatusDocument?> GetStatusAsync(string name, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.StringGetAsync(RedisRevocationKeys.Status(name)).ConfigureAwait(false);
            return value.IsNull ? null : RedisJson.Read(value, RedisRevocationJsonContext.Instance.StatusDocumentDocument, "status document").ToStatus();
        }, cancellationToken);

    public Task SetStatusAsync(StatusDocument status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        return _connection.WriteAsync(
            db => db.StringSetAsync(RedisRevocationKeys.Status(status.Name), RedisJson.Write(StatusDocumentDocument.From(status), RedisRevocationJsonContext.Instance.StatusDocumentDocument)),
            cancellationToken);
    }
}
