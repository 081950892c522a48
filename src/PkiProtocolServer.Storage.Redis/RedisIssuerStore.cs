using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Issuers, issuer keys and the default issuer in the hashes <c>issuers</c>, <c>issuer-keys</c>, their
/// <c>:names</c> indexes and the string <c>issuers:default</c> (see <see cref="RedisKeys"/>). Every change is
/// one Lua script, so uniqueness and "all or nothing" hold across nodes as they do in one SQLite transaction.
/// </summary>
public sealed class RedisIssuerStore : IIssuerStore
{
    private readonly RedisConnection _connection;

    public RedisIssuerStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public Task<IssuerKey?> GetKeyAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.HashGetAsync(RedisKeys.IssuerKeys, id).ConfigureAwait(false);
            return value.IsNull ? null : ReadKey(value);
        }, cancellationToken);

    public Task<IReadOnlyList<IssuerKey>> ListKeysAsync(CancellationToken cancellationToken) =>
        _connection.ReadAsync<IReadOnlyList<IssuerKey>>(async db =>
        {
            var values = await db.HashValuesAsync(RedisKeys.IssuerKeys).ConfigureAwait(false);
            return [.. values.Select(ReadKey).OrderBy(k => k.Name, StringComparer.Ordinal)];
        }, cancellationToken);

    public async Task AddKeyAsync(IssuerKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var outcome = await _connection.WriteAsync(db => db.ScriptEvaluateAsync(IssuerScripts.AddKey, new
        {
            issuerKeys = RedisKeys.IssuerKeys,
            keyNames = RedisKeys.IssuerKeyNames,
            keyId = key.Id,
            keyName = key.Name,
            key = WriteKey(key),
        }), cancellationToken).ConfigureAwait(false);
        ThrowUnlessOk((string?)outcome, issuer: null, key);
    }

    public async Task<bool> DeleteKeyAsync(string id, CancellationToken cancellationToken)
    {
        var outcome = (string[]?)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(IssuerScripts.DeleteKey, new
        {
            issuerKeys = RedisKeys.IssuerKeys,
            keyNames = RedisKeys.IssuerKeyNames,
            issuers = RedisKeys.Issuers,
            keyId = id,
        }), cancellationToken).ConfigureAwait(false);
        return outcome?[0] switch
        {
            "deleted" => true,
            "missing" => false,
            "in-use" => throw PkiException.Conflict(
                $"issuer key '{id}' is used by issuer(s) {string.Join(", ", outcome.Skip(1).Select(u => $"'{u}'"))}; delete or re-key them first"),
            var other => throw UnexpectedOutcome(other),
        };
    }

    public Task<Issuer?> GetAsync(string id, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.HashGetAsync(RedisKeys.Issuers, id).ConfigureAwait(false);
            return value.IsNull ? null : ReadIssuer(value);
        }, cancellationToken);

    public Task<Issuer?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = (RedisValue)await db.ScriptEvaluateAsync(IssuerScripts.FindByName, new
            {
                issuerNames = RedisKeys.IssuerNames,
                issuers = RedisKeys.Issuers,
                issuerName = name,
            }).ConfigureAwait(false);
            return value.IsNull ? null : ReadIssuer(value);
        }, cancellationToken);

    public Task<IReadOnlyList<Issuer>> ListAsync(CancellationToken cancellationToken) =>
        _connection.ReadAsync<IReadOnlyList<Issuer>>(async db =>
        {
            var values = await db.HashValuesAsync(RedisKeys.Issuers).ConfigureAwait(false);
            return [.. values.Select(ReadIssuer).OrderBy(i => i.Name, StringComparer.Ordinal)];
        }, cancellationToken);

    public async Task AddAsync(Issuer issuer, IssuerKey? newKey, bool makeDefault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var outcome = await _connection.WriteAsync(db => db.ScriptEvaluateAsync(IssuerScripts.AddIssuer, new
        {
            issuers = RedisKeys.Issuers,
            issuerNames = RedisKeys.IssuerNames,
            issuerKeys = RedisKeys.IssuerKeys,
            keyNames = RedisKeys.IssuerKeyNames,
            defaultIssuer = RedisKeys.DefaultIssuer,
            issuerId = issuer.Id,
            issuerName = issuer.Name,
            issuer = WriteIssuer(issuer),
            usesKey = Flag(issuer.KeyId is not null),
            keyId = issuer.KeyId ?? string.Empty,
            addsKey = Flag(newKey is not null),
            newKeyId = newKey?.Id ?? string.Empty,
            newKeyName = newKey?.Name ?? string.Empty,
            newKey = newKey is null ? RedisValue.EmptyString : WriteKey(newKey),
            makeDefault = Flag(makeDefault),
        }), cancellationToken).ConfigureAwait(false);
        ThrowUnlessOk((string?)outcome, issuer, newKey);
    }

    public async Task UpdateAsync(Issuer issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var outcome = (string?)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(IssuerScripts.UpdateIssuer, new
        {
            issuers = RedisKeys.Issuers,
            issuerNames = RedisKeys.IssuerNames,
            issuerKeys = RedisKeys.IssuerKeys,
            issuerId = issuer.Id,
            issuerName = issuer.Name,
            issuer = WriteIssuer(issuer),
            usesKey = Flag(issuer.KeyId is not null),
            keyId = issuer.KeyId ?? string.Empty,
        }), cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case "not-found":
                throw PkiException.NotFound($"no issuer has id '{issuer.Id}'");
            case "issuer-name":
                throw PkiException.Conflict($"another issuer is already named '{issuer.Name}'");
            default:
                ThrowUnlessOk(outcome, issuer, key: null);
                break;
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(IssuerScripts.DeleteIssuer, new
        {
            issuers = RedisKeys.Issuers,
            issuerNames = RedisKeys.IssuerNames,
            defaultIssuer = RedisKeys.DefaultIssuer,
            issuerId = id,
        }), cancellationToken).ConfigureAwait(false) == 1;

    public Task<string?> GetDefaultIdAsync(CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db => (string?)await db.StringGetAsync(RedisKeys.DefaultIssuer).ConfigureAwait(false), cancellationToken);

    public async Task SetDefaultIdAsync(string id, CancellationToken cancellationToken)
    {
        var outcome = (string?)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(IssuerScripts.SetDefault, new
        {
            issuers = RedisKeys.Issuers,
            defaultIssuer = RedisKeys.DefaultIssuer,
            issuerId = id,
        }), cancellationToken).ConfigureAwait(false);
        if (outcome == "not-found")
        {
            throw PkiException.NotFound($"no issuer has id '{id}'; the default issuer was not changed");
        }

        ThrowUnlessOk(outcome, issuer: null, key: null);
    }

    /// <summary>Turns a script's refusal into the same error, and the same words, as the embedded store gives.</summary>
    private static void ThrowUnlessOk(string? outcome, Issuer? issuer, IssuerKey? key)
    {
        switch (outcome)
        {
            case "ok":
                return;
            case "key-id" when key is not null:
                throw PkiException.Conflict($"an issuer key with id '{key.Id}' already exists");
            case "key-name" when key is not null:
                throw PkiException.Conflict($"an issuer key named '{key.Name}' already exists");
            case "no-key" when issuer is not null:
                throw PkiException.NotFound($"issuer '{issuer.Name}' names key '{issuer.KeyId}', which is not a known issuer key");
            case "issuer-id" when issuer is not null:
                throw PkiException.Conflict($"an issuer with id '{issuer.Id}' already exists");
            case "issuer-name" when issuer is not null:
                throw PkiException.Conflict($"an issuer named '{issuer.Name}' already exists");
            default:
                throw UnexpectedOutcome(outcome);
        }
    }

    private static InvalidOperationException UnexpectedOutcome(string? outcome) =>
        new($"a Redis issuer script answered '{outcome}', which this build does not expect");

    private static string Flag(bool value) => value ? "1" : "0";

    private static RedisValue WriteKey(IssuerKey key) =>
        RedisJson.Write(IssuerKeyDocument.From(key), RedisJson.Context.IssuerKeyDocument);

    private static RedisValue WriteIssuer(Issuer issuer) =>
        RedisJson.Write(IssuerDocument.From(issuer), RedisJson.Context.IssuerDocument);

    private static IssuerKey ReadKey(RedisValue value) =>
        RedisJson.Read(value, RedisJson.Context.IssuerKeyDocument, "issuer key").ToKey();

    private static Issuer ReadIssuer(RedisValue value) =>
        RedisJson.Read(value, RedisJson.Context.IssuerDocument, "issuer").ToIssuer();
}
