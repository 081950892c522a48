using Microsoft.Data.Sqlite;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Storage.Sqlite.Documents;

namespace PkiProtocolServer.Storage.Sqlite;

/// <summary>Issuers, issuer keys and the default issuer in tables <c>issuers</c>, <c>issuer_keys</c> and <c>default_issuer</c>.</summary>
public sealed class SqliteIssuerStore : IIssuerStore
{
    private const string KeyColumns = "id, name, key_reference, key_spec, subject_public_key_info, created_at";
    private const string IssuerColumns = "id, name, key_id, certificate_der, settings, created_at";

    private readonly SqliteDatabase _database;

    public SqliteIssuerStore(SqliteDatabase database)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
    }

    public Task<IssuerKey?> GetKeyAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {KeyColumns} FROM issuer_keys WHERE id = @id", ReadKey, ct, ("@id", id)), cancellationToken);

    public async Task<IReadOnlyList<IssuerKey>> ListKeysAsync(CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT {KeyColumns} FROM issuer_keys ORDER BY name", ReadKey, ct), cancellationToken).ConfigureAwait(false);

    public Task AddKeyAsync(IssuerKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.WriteAsync(
            (c, tx, ct) => InsertKeyAsync(c, tx, key, ct),
            column => DescribeKeyConflict(column, key),
            cancellationToken);
    }

    public Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (c, tx, ct) =>
        {
            var users = await c.QueryAsync(tx, "SELECT name FROM issuers WHERE key_id = @id ORDER BY name",
                r => r.GetString(0), ct, ("@id", id)).ConfigureAwait(false);
            if (users.Count > 0)
            {
                throw PkiException.Conflict(
                    $"issuer key '{id}' is used by issuer(s) {string.Join(", ", users.Select(u => $"'{u}'"))}; delete or re-key them first");
            }

            return await c.ExecuteAsync(tx, "DELETE FROM issuer_keys WHERE id = @id", ct, ("@id", id)).ConfigureAwait(false) > 0;
        }, _ => null, cancellationToken);

    public Task<Issuer?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {IssuerColumns} FROM issuers WHERE id = @id", ReadIssuer, ct, ("@id", id)), cancellationToken);

    public Task<Issuer?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            $"SELECT {IssuerColumns} FROM issuers WHERE name = @name", ReadIssuer, ct, ("@name", name)), cancellationToken);

    public async Task<IReadOnlyList<Issuer>> ListAsync(CancellationToken cancellationToken) =>
        await _database.ReadAsync((c, ct) => c.QueryAsync(null,
            $"SELECT {IssuerColumns} FROM issuers ORDER BY name", ReadIssuer, ct), cancellationToken).ConfigureAwait(false);

    public Task AddAsync(Issuer issuer, IssuerKey? newKey, bool makeDefault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            if (newKey is not null)
            {
                await InsertKeyAsync(c, tx, newKey, ct).ConfigureAwait(false);
            }

            await RequireKeyAsync(c, tx, issuer, ct).ConfigureAwait(false);
            await c.ExecuteAsync(tx,
                $"INSERT INTO issuers ({IssuerColumns}) VALUES (@id, @name, @key_id, @certificate_der, @settings, @created_at)",
                ct, IssuerParameters(issuer)).ConfigureAwait(false);
            if (makeDefault)
            {
                await SetDefaultAsync(c, tx, issuer.Id, ct).ConfigureAwait(false);
            }

            return true;
        }, column => DescribeIssuerConflict(column, issuer) ?? (newKey is null ? null : DescribeKeyConflict(column, newKey)), cancellationToken);
    }

    public Task UpdateAsync(Issuer issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            if (!await c.ExistsAsync(tx, "SELECT 1 FROM issuers WHERE id = @id", ct, ("@id", issuer.Id)).ConfigureAwait(false))
            {
                throw PkiException.NotFound($"no issuer has id '{issuer.Id}'");
            }

            await RequireKeyAsync(c, tx, issuer, ct).ConfigureAwait(false);
            return await c.ExecuteAsync(tx,
                "UPDATE issuers SET name = @name, key_id = @key_id, certificate_der = @certificate_der, settings = @settings, created_at = @created_at WHERE id = @id",
                ct, IssuerParameters(issuer)).ConfigureAwait(false);
        }, column => column == "issuers.name" ? $"another issuer is already named '{issuer.Name}'" : null, cancellationToken);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (c, tx, ct) =>
        {
            await c.ExecuteAsync(tx, "DELETE FROM default_issuer WHERE issuer_id = @id", ct, ("@id", id)).ConfigureAwait(false);
            return await c.ExecuteAsync(tx, "DELETE FROM issuers WHERE id = @id", ct, ("@id", id)).ConfigureAwait(false) > 0;
        }, _ => null, cancellationToken);

    public Task<string?> GetDefaultIdAsync(CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT issuer_id FROM default_issuer WHERE singleton = 1", r => r.GetString(0), ct), cancellationToken);

    public Task SetDefaultIdAsync(string id, CancellationToken cancellationToken) =>
        _database.WriteAsync(async (c, tx, ct) =>
        {
            if (!await c.ExistsAsync(tx, "SELECT 1 FROM issuers WHERE id = @id", ct, ("@id", id)).ConfigureAwait(false))
            {
                throw PkiException.NotFound($"no issuer has id '{id}'; the default issuer was not changed");
            }

            await SetDefaultAsync(c, tx, id, ct).ConfigureAwait(false);
            return true;
        }, _ => null, cancellationToken);

    private static Task<int> InsertKeyAsync(SqliteConnection c, SqliteTransaction tx, IssuerKey key, CancellationToken ct) =>
        c.ExecuteAsync(tx,
            $"INSERT INTO issuer_keys ({KeyColumns}) VALUES (@id, @name, @key_reference, @key_spec, @subject_public_key_info, @created_at)",
            ct,
            ("@id", key.Id),
            ("@name", key.Name),
            ("@key_reference", key.KeyReference),
            ("@key_spec", key.KeySpec.ToString()),
            ("@subject_public_key_info", key.SubjectPublicKeyInfo),
            ("@created_at", SqliteCommands.ToUnixMilliseconds(key.CreatedAt)));

    /// <summary>An issuer may only name a key the store holds (the foreign key is the backstop; this gives the clear message).</summary>
    private static async Task RequireKeyAsync(SqliteConnection c, SqliteTransaction tx, Issuer issuer, CancellationToken ct)
    {
        if (issuer.KeyId is not null
            && !await c.ExistsAsync(tx, "SELECT 1 FROM issuer_keys WHERE id = @id", ct, ("@id", issuer.KeyId)).ConfigureAwait(false))
        {
            throw PkiException.NotFound($"issuer '{issuer.Name}' names key '{issuer.KeyId}', which is not a known issuer key");
        }
    }

    // Portable upsert: INSERT ... ON CONFLICT DO UPDATE runs unchanged on PostgreSQL.
    private static Task<int> SetDefaultAsync(SqliteConnection c, SqliteTransaction tx, string id, CancellationToken ct) =>
        c.ExecuteAsync(tx,
            "INSERT INTO default_issuer (singleton, issuer_id) VALUES (1, @id) ON CONFLICT (singleton) DO UPDATE SET issuer_id = excluded.issuer_id",
            ct, ("@id", id));

    private static (string, object?)[] IssuerParameters(Issuer issuer) =>
    [
        ("@id", issuer.Id),
        ("@name", issuer.Name),
        ("@key_id", issuer.KeyId),
        ("@certificate_der", issuer.CertificateDer),
        ("@settings", StoreJson.Write(IssuerSettingsDocument.From(issuer), StoreJsonContext.Default.IssuerSettingsDocument)),
        ("@created_at", SqliteCommands.ToUnixMilliseconds(issuer.CreatedAt)),
    ];

    private static IssuerKey ReadKey(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        KeyReference = r.GetString(2),
        KeySpec = KeySpec.FromName(r.GetString(3)),
        SubjectPublicKeyInfo = r.GetBytes(4),
        CreatedAt = r.GetTimestamp(5),
    };

    private static Issuer ReadIssuer(SqliteDataReader r)
    {
        var settings = StoreJson.Read(r.GetString(4), StoreJsonContext.Default.IssuerSettingsDocument, "issuer settings");
        return new Issuer
        {
            Id = r.GetString(0),
            Name = r.GetString(1),
            KeyId = r.GetNullableString(2),
            CertificateDer = r.GetBytes(3),
            LeafNotAfterBehavior = settings.LeafNotAfterBehavior,
            Usage = settings.Usage,
            Urls = settings.ToUrls(),
            ManualChain = settings.ManualChain,
            CreatedAt = r.GetTimestamp(5),
        };
    }

    private static string? DescribeKeyConflict(string? column, IssuerKey key) => column switch
    {
        "issuer_keys.id" => $"an issuer key with id '{key.Id}' already exists",
        "issuer_keys.name" => $"an issuer key named '{key.Name}' already exists",
        _ => null,
    };

    private static string? DescribeIssuerConflict(string? column, Issuer issuer) => column switch
    {
        "issuers.id" => $"an issuer with id '{issuer.Id}' already exists",
        "issuers.name" => $"an issuer named '{issuer.Name}' already exists",
        _ => null,
    };
}
