using Microsoft.Extensions.Options;
using PkiProtocolServer.Configuration;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Storage.Redis;
using PkiProtocolServer.Storage.Sqlite;

namespace PkiProtocolServer.Composition;

/// <summary>
/// The state this server runs on, chosen once at start: Redis when <c>Pki:Redis</c> is set (every node of a
/// fleet shares it), otherwise the embedded SQLite file. Owns the provider and closes it with the host.
/// </summary>
public sealed class StateStores : IDisposable
{
    private readonly IDisposable _provider;

    private StateStores(IDisposable provider, IIssuerStore issuers, IRoleStore roles, ICertificateStore certificates, string kind, string location, RedisStores? redis)
    {
        _provider = provider;
        Issuers = issuers;
        Roles = roles;
        Certificates = certificates;
        Kind = kind;
        Location = location;
        Redis = redis;
    }

    public IIssuerStore Issuers { get; }

    public IRoleStore Roles { get; }

    public ICertificateStore Certificates { get; }

    /// <summary><c>embedded SQLite</c> or <c>Redis</c>, for the startup banner.</summary>
    public string Kind { get; }

    /// <summary>The database file, or the Redis endpoints, database and key prefix (never the password).</summary>
    public string Location { get; }

    /// <summary>The Redis stores when state is in Redis, else null.</summary>
    public RedisStores? Redis { get; }

    /// <summary>Opens the provider the options name. A bad <c>Pki:Redis</c> stops the start with the reason.</summary>
    public static StateStores Open(PkiOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            var redisOptions = new RedisStoreOptions { Configuration = options.Redis };
            var errors = RedisStoreOptionsValidator.Validate(redisOptions);
            if (errors.Count > 0)
            {
                throw new OptionsValidationException(PkiOptions.Section, typeof(PkiOptions), [.. errors.Select(e => "Pki:Redis: " + e)]);
            }

            var redis = RedisStores.Connect(redisOptions);
            return new StateStores(redis, redis.Issuers, redis.Roles, redis.Certificates, "Redis", redis.Connection.Describe(), redis);
        }

        Directory.CreateDirectory(options.DataPath());
        var sqlite = SqliteStores.Open(new SqliteStoreOptions { DatabasePath = options.DataPath("pki.db") });
        return new StateStores(sqlite, sqlite.Issuers, sqlite.Roles, sqlite.Certificates, "embedded SQLite", sqlite.Database.DatabasePath, redis: null);
    }

    /// <summary>Sentences about unsafe Redis settings (AOF off, eviction on); empty for SQLite or a safe Redis.</summary>
    public async Task<IReadOnlyList<string>> GetWarningsAsync(CancellationToken cancellationToken) =>
        Redis is null ? [] : (await Redis.Connection.GetServerFactsAsync(cancellationToken).ConfigureAwait(false)).Warnings;

    public void Dispose() => _provider.Dispose();
}
