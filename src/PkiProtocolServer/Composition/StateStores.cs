using Microsoft.Extensions.Options;
using PkiProtocolServer.Configuration;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Coordination;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Users;
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

    private StateStores(IDisposable provider, IIssuerStore issuers, IRoleStore roles, ICertificateStore certificates, string kind, string location, RedisStores? redis, SqliteStores embedded)
    {
        _provider = provider;
        Embedded = embedded;
        Issuers = issuers;
        Roles = roles;
        Certificates = certificates;
        Kind = kind;
        Location = location;
        Redis = redis;
        RedisAcme = redis is null ? null : new RedisAcmeStores(redis.Connection);
        if (redis is null)
        {
            Revocations = embedded.Revocations;
            Crls = embedded.Crls;
            OcspResponders = embedded.OcspResponders;
            OcspResponses = embedded.OcspResponses;
            Coordination = embedded.Coordination;
            EstUsers = embedded.EstUsers;
            EstEnrollments = embedded.EstEnrollments;
        }
        else
        {
            Revocations = new RedisRevocationStore(redis.Connection);
            Crls = new RedisCrlStore(redis.Connection);
            OcspResponders = new RedisOcspResponderStore(redis.Connection);
            OcspResponses = new RedisOcspResponseCache(redis.Connection);
            Coordination = new RedisCoordinationStore(redis.Connection);
            EstUsers = new RedisEstUserStore(redis.Connection);
            EstEnrollments = new RedisEstPendingEnrollmentStore(redis.Connection);
        }
    }

    public IIssuerStore Issuers { get; }

    public IRoleStore Roles { get; }

    public ICertificateStore Certificates { get; }

    public IRevocationStore Revocations { get; }

    public ICrlStore Crls { get; }

    public IOcspResponderStore OcspResponders { get; }

    public IOcspResponseCache OcspResponses { get; }

    /// <summary>Leases and status documents: shared by every node with Redis state, so background work runs on one node at a time.</summary>
    public ICoordinationStore Coordination { get; }

    /// <summary>EST's password users (owned by the EST front end).</summary>
    public IEstUserStore EstUsers { get; }

    /// <summary>EST's enrollments held for manual approval (owned by the EST front end).</summary>
    public IPendingEnrollmentStore EstEnrollments { get; }

    /// <summary><c>embedded SQLite</c> or <c>Redis</c>, for the startup banner.</summary>
    public string Kind { get; }

    /// <summary>The database file, or the Redis endpoints, database and key prefix (never the password).</summary>
    public string Location { get; }

    /// <summary>
    /// The SQLite stores of this node: all state with the embedded default. With Redis state every store is in
    /// Redis and this file is opened but unused.
    /// </summary>
    public SqliteStores Embedded { get; }

    /// <summary>The Redis stores when state is in Redis, else null.</summary>
    public RedisStores? Redis { get; }

    /// <summary>The ACME front end's stores in Redis (over <see cref="Redis"/>'s connection) when state is in Redis, else null.</summary>
    public RedisAcmeStores? RedisAcme { get; }

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
            return new StateStores(redis, redis.Issuers, redis.Roles, redis.Certificates, "Redis", redis.Connection.Describe(), redis, OpenSqlite(options));
        }

        var sqlite = OpenSqlite(options);
        return new StateStores(sqlite, sqlite.Issuers, sqlite.Roles, sqlite.Certificates, "embedded SQLite", sqlite.Database.DatabasePath, redis: null, sqlite);
    }

    /// <summary>Sentences about unsafe Redis settings (AOF off, eviction on); empty for SQLite or a safe Redis.</summary>
    public async Task<IReadOnlyList<string>> GetWarningsAsync(CancellationToken cancellationToken) =>
        Redis is null
            ? []
            : (await Redis.Connection.GetServerFactsAsync(cancellationToken).ConfigureAwait(false)).Warnings;

    public void Dispose()
    {
        _provider.Dispose();
        if (!ReferenceEquals(_provider, Embedded))
        {
            Embedded.Dispose();
        }
    }

    private static SqliteStores OpenSqlite(PkiOptions options)
    {
        Directory.CreateDirectory(options.DataPath());
        return SqliteStores.Open(new SqliteStoreOptions { DatabasePath = options.DataPath("pki.db") });
    }
}
