using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Storage.Redis.Documents;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>Operator-set renewal windows in one hash, <c>acme:renewal-windows</c> (field <c>scope:target</c>); each change is one command.</summary>
public sealed class RedisRenewalWindowStore : IRenewalWindowStore
{
    private readonly RedisConnection _connection;

    public RedisRenewalWindowStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public Task SetAsync(RenewalWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        return _connection.WriteAsync(db => db.HashSetAsync(RedisRenewalKeys.RenewalWindows, RedisRenewalKeys.WindowField(window.Scope, window.Target), AcmeJson.Write(window)), cancellationToken);
    }

    public Task<RenewalWindow?> GetAsync(RenewalWindowScope scope, string target, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.HashGetAsync(RedisRenewalKeys.RenewalWindows, RedisRenewalKeys.WindowField(scope, target)).ConfigureAwait(false);
            return value.IsNull ? null : AcmeJson.Read<RenewalWindow>(value, "renewal window");
        }, cancellationToken);

    public Task<IReadOnlyList<RenewalWindow>> ListAsync(CancellationToken cancellationToken) =>
        _connection.ReadAsync<IReadOnlyList<RenewalWindow>>(async db =>
        {
            var entries = await db.HashGetAllAsync(RedisRenewalKeys.RenewalWindows).ConfigureAwait(false);
            return entries.Select(e => AcmeJson.Read<RenewalWindow>(e.Value, "renewal window"))
                .OrderBy(w => w.Scope).ThenBy(w => w.Target, StringComparer.Ordinal).ToList();
        }, cancellationToken);

    public Task<bool> DeleteAsync(RenewalWindowScope scope, string target, CancellationToken cancellationToken) =>
        _connection.WriteAsync(db => db.HashDeleteAsync(RedisRenewalKeys.RenewalWindows, RedisRenewalKeys.WindowField(scope, target)), cancellationToken);
}
