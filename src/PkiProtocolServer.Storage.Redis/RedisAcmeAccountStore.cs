using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// ACME accounts, one hash <c>acme:account:&lt;id&gt;</c> each (durable, no TTL), the key thumbprint unique per
/// directory through <c>acme:accounts:keys</c>. Adding (with its EAB binding) and compare-and-set updating are one script each.
/// </summary>
public sealed class RedisAcmeAccountStore : IAccountStore
{
    private readonly RedisConnection _connection;

    public RedisAcmeAccountStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task<AcmeAccount> AddAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var stored = account with { Version = 1 };
        RedisValue eabJson = string.Empty;
        RedisValue boundJson = string.Empty;
        var eabId = account.ExternalAccountKeyId;
        if (eabId is not null)
        {
            var eab = await _connection.ReadAsync(db => db.HashGetAsync(RedisAcmeKeys.ExternalAccountKey(eabId), "doc"), cancellationToken).ConfigureAwait(false);
            if (eab.IsNull)
            {
                throw PkiException.Conflict($"external account key '{eabId}' does not exist, has expired or is bound already");
            }

            eabJson = eab;
            var key = AcmeJson.Read<ExternalAccountKey>(eab, "external account key");
            boundJson = AcmeJson.Write(key with { BoundAccountId = account.Id, BoundAt = account.CreatedAt });
        }

        var outcome = (string?)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.AddAccount, new
        {
            account = RedisAcmeKeys.Account(stored.Id),
            accountKeys = RedisAcmeKeys.AccountKeys,
            eab = RedisAcmeKeys.ExternalAccountKey(eabId ?? string.Empty),
            eabExpiry = RedisAcmeKeys.ExternalAccountKeysByExpiry,
            id = stored.Id,
            keyField = RedisAcmeKeys.AccountKeyField(stored.Directory, stored.KeyThumbprint),
            version = stored.Version,
            json = AcmeJson.Write(stored),
            bindsEab = eabId is null ? "0" : "1",
            eabId = eabId ?? string.Empty,
            eabJson,
            boundEabJson = boundJson,
            now = account.CreatedAt.ToUnixTimeMilliseconds(),
        }), cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            "ok" => stored,
            "account-id" => throw PkiException.Conflict("an account with that id exists"),
            "account-key" => throw PkiException.Conflict("another account of this directory has that key"),
            "eab" => throw PkiException.Conflict($"external account key '{eabId}' does not exist, has expired or is bound already"),
            _ => throw new InvalidOperationException($"the account script answered '{outcome}'"),
        };
    }

    public Task<AcmeAccount?> GetAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(db => ReadAsync(db, id), cancellationToken);

    public Task<AcmeAccount?> FindByKeyAsync(string directory, string keyThumbprint, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var field = RedisAcmeKeys.AccountKeyField(directory, keyThumbprint);
            var id = await db.HashGetAsync(RedisAcmeKeys.AccountKeys, field).ConfigureAwait(false);
            if (id.IsNull)
            {
                return null;
            }

            var account = await ReadAsync(db, id!).ConfigureAwait(false);
            // A key change between the two reads: the account no longer has this key.
            return account is not null && account.Directory == directory && account.KeyThumbprint == keyThumbprint ? account : null;
        }, cancellationToken);

    public async Task<AcmeAccount?> TryUpdateAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var next = account with { Version = account.Version + 1 };
        var outcome = (string?)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.UpdateAccount, new
        {
            account = RedisAcmeKeys.Account(next.Id),
            accountKeys = RedisAcmeKeys.AccountKeys,
            id = next.Id,
            version = account.Version,
            next = next.Version,
            keyField = RedisAcmeKeys.AccountKeyField(next.Directory, next.KeyThumbprint),
            json = AcmeJson.Write(next),
            deactivated = RedisAcmeKeys.DeactivatedAccounts,
            deactivatedAt = next.Status == AccountStatus.Deactivated ? (next.DeactivatedAt ?? next.CreatedAt).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
        }), cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            "ok" => next,
            "stale" => null,
            "account-key" => throw PkiException.Conflict("another account of this directory has that key"),
            _ => throw new InvalidOperationException($"the account script answered '{outcome}'"),
        };
    }

    /// <summary>Deactivated accounts from <c>acme:accounts:deactivated</c> up to the instant, each removed by one script.</summary>
    public async Task<int> DeleteDeactivatedAsync(DateTimeOffset deactivatedBefore, CancellationToken cancellationToken)
    {
        var ids = await _connection.ReadAsync(db => db.SortedSetRangeByScoreAsync(RedisAcmeKeys.DeactivatedAccounts, double.NegativeInfinity, deactivatedBefore.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var member in ids)
        {
            var id = member.ToString();
            removed += (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(AcmeScripts.DeleteAccount, new
            {
                account = RedisAcmeKeys.Account(id),
                accountKeys = RedisAcmeKeys.AccountKeys,
                orders = RedisAcmeKeys.OrdersByAccount(id),
                deactivated = RedisAcmeKeys.DeactivatedAccounts,
                id,
            }), cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    private static async Task<AcmeAccount?> ReadAsync(IDatabase db, string id)
    {
        var values = await db.HashGetAsync(RedisAcmeKeys.Account(id), ["doc", "version"]).ConfigureAwait(false);
        return values[0].IsNull ? null : AcmeJson.Read<AcmeAccount>(values[0], "ACME account") with { Version = (long)values[1] };
    }
}
