using Microsoft.Data.Sqlite;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Storage.Sqlite.Acme;

/// <summary>ACME accounts in <c>acme_accounts</c>: the key thumbprint unique per directory (column <c>profile</c>: the name directories had before certificate profiles existed), a version for compare-and-set.</summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private readonly SqliteDatabase _database;

    public SqliteAccountStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task<AcmeAccount> AddAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        var stored = account with { Version = 1 };
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            if (account.ExternalAccountKeyId is { } keyId)
            {
                await BindAsync(c, tx, keyId, account, ct).ConfigureAwait(false);
            }

            await c.ExecuteAsync(tx,
                "INSERT INTO acme_accounts (id, profile, key_thumbprint, version, document, created_at) VALUES (@id, @profile, @thumbprint, 1, @document, @created_at)",
                ct,
                ("@id", stored.Id),
                ("@profile", stored.Directory),
                ("@thumbprint", stored.KeyThumbprint),
                ("@document", AcmeDocumentJson.Serialize(stored)),
                ("@created_at", stored.CreatedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            return stored;
        }, DescribeConflict, cancellationToken);
    }

    public Task<AcmeAccount?> GetAsync(string id, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document, version FROM acme_accounts WHERE id = @id", Read, ct, ("@id", id)), cancellationToken);

    public Task<AcmeAccount?> FindByKeyAsync(string directory, string keyThumbprint, CancellationToken cancellationToken) =>
        _database.ReadAsync((c, ct) => c.QuerySingleOrDefaultAsync(null,
            "SELECT document, version FROM acme_accounts WHERE profile = @profile AND key_thumbprint = @thumbprint",
            Read, ct, ("@profile", directory), ("@thumbprint", keyThumbprint)), cancellationToken);

    public Task<AcmeAccount?> TryUpdateAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        var next = account with { Version = account.Version + 1 };
        return _database.WriteAsync(async (c, tx, ct) =>
        {
            var changed = await c.ExecuteAsync(tx,
                "UPDATE acme_accounts SET key_thumbprint = @thumbprint, version = @next, document = @document, deactivated_at = @deactivated_at WHERE id = @id AND version = @version",
                ct,
                ("@deactivated_at", DeactivatedAt(next)),
                ("@thumbprint", next.KeyThumbprint),
                ("@next", next.Version),
                ("@document", AcmeDocumentJson.Serialize(next)),
                ("@id", next.Id),
                ("@version", account.Version)).ConfigureAwait(false);
            return changed == 1 ? next : null;
        }, DescribeConflict, cancellationToken);
    }

    public Task<int> DeleteDeactivatedAsync(DateTimeOffset deactivatedBefore, CancellationToken cancellationToken) =>
        _database.WriteAsync((c, tx, ct) => c.ExecuteAsync(tx,
            "DELETE FROM acme_accounts WHERE deactivated_at IS NOT NULL AND deactivated_at <= @before",
            ct, ("@before", deactivatedBefore.ToUnixTimeMilliseconds())), _ => null, cancellationToken);

    /// <summary>The <c>deactivated_at</c> column: set once the account is deactivated (its creation time if the document lacks the instant).</summary>
    private static object? DeactivatedAt(AcmeAccount account) =>
        account.Status == AccountStatus.Deactivated ? (account.DeactivatedAt ?? account.CreatedAt).ToUnixTimeMilliseconds() : null;

    /// <summary>Marks the EAB key bound to the account, in the account's transaction; Conflict when it cannot bind.</summary>
    private static async Task BindAsync(SqliteConnection c, SqliteTransaction tx, string keyId, AcmeAccount account, CancellationToken ct)
    {
        var now = account.CreatedAt.ToUnixTimeMilliseconds();
        var key = await c.QuerySingleOrDefaultAsync(tx,
            "SELECT document FROM acme_external_account_keys WHERE id = @id AND bound_account_id IS NULL AND (expires_at IS NULL OR expires_at > @now)",
            r => AcmeDocumentJson.Deserialize<ExternalAccountKey>(r.GetString(0)), ct, ("@id", keyId), ("@now", now)).ConfigureAwait(false)
            ?? throw PkiException.Conflict($"external account key '{keyId}' does not exist, has expired or is bound already");
        var bound = key with { BoundAccountId = account.Id, BoundAt = account.CreatedAt };
        var changed = await c.ExecuteAsync(tx,
            "UPDATE acme_external_account_keys SET bound_account_id = @account, document = @document WHERE id = @id AND bound_account_id IS NULL",
            ct, ("@account", account.Id), ("@document", AcmeDocumentJson.Serialize(bound)), ("@id", keyId)).ConfigureAwait(false);
        if (changed != 1)
        {
            throw PkiException.Conflict($"external account key '{keyId}' is bound already");
        }
    }

    private static AcmeAccount Read(SqliteDataReader reader) =>
        AcmeDocumentJson.Deserialize<AcmeAccount>(reader.GetString(0)) with { Version = reader.GetInt64(1) };

    private static string? DescribeConflict(string? column) => column switch
    {
        "acme_accounts.profile" or "acme_accounts.key_thumbprint" => "another account of this directory has that key",
        "acme_accounts.id" => "an account with that id exists",
        _ => null,
    };
}
