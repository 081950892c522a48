using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Est.Users;
using PkiProtocolServer.Storage.Redis.Documents;
using PkiProtocolServer.Storage.Redis.Scripts;
using StackExchange.Redis;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// EST password users, one hash per label (<c>est-users:&lt;label&gt;</c>, name → JSON). Adding is HSETNX; consuming a
/// one-time user is a compare-and-set script on the JSON read before, retried when another request changed it meanwhile.
/// </summary>
public sealed class RedisEstUserStore : IEstUserStore
{
    private readonly RedisConnection _connection;

    public RedisEstUserStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public async Task AddAsync(EstUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var added = await _connection.WriteAsync(
            db => db.HashSetAsync(RedisEstKeys.Users(user.Label), user.Name, Write(user), When.NotExists),
            cancellationToken).ConfigureAwait(false);
        if (!added)
        {
            throw PkiException.Conflict($"label {(user.Label.Length == 0 ? "default" : user.Label)} already has a user '{user.Name}'");
        }
    }

    public async Task<EstUser?> GetAsync(string label, string name, CancellationToken cancellationToken)
    {
        var value = await ReadRawAsync(label, name, cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : Read(value);
    }

    public Task<IReadOnlyList<EstUser>> ListAsync(string label, CancellationToken cancellationToken) =>
        _connection.ReadAsync<IReadOnlyList<EstUser>>(async db =>
        {
            var values = await db.HashValuesAsync(RedisEstKeys.Users(label)).ConfigureAwait(false);
            return [.. values.Select(Read).OrderBy(u => u.Name, StringComparer.Ordinal)];
        }, cancellationToken);

    public Task<bool> DeleteAsync(string label, string name, CancellationToken cancellationToken) =>
        _connection.WriteAsync(db => db.HashDeleteAsync(RedisEstKeys.Users(label), name), cancellationToken);

    public async Task<bool> TryConsumeAsync(string label, string name, string requestHash, DateTimeOffset at, CancellationToken cancellationToken)
    {
        while (true)
        {
            var value = await ReadRawAsync(label, name, cancellationToken).ConfigureAwait(false);
            if (value.IsNull)
            {
                return false;
            }

            var user = Read(value);
            if (!user.OneTime || (user.ConsumedFor is { } consumedFor && consumedFor != requestHash))
            {
                return false;
            }

            if (user.ConsumedFor == requestHash)
            {
                // Already spent on this very request: a retry of it succeeds and changes nothing.
                return true;
            }

            var replaced = (int)await _connection.WriteAsync(db => db.ScriptEvaluateAsync(RedisEstScripts.ReplaceUser, new
            {
                users = RedisEstKeys.Users(label),
                name,
                expected = value,
                json = Write(user with { ConsumedAt = user.ConsumedAt ?? at, ConsumedFor = requestHash }),
            }), cancellationToken).ConfigureAwait(false);
            if (replaced == 1)
            {
                return true;
            }
        }
    }

    private Task<RedisValue> ReadRawAsync(string label, string name, CancellationToken cancellationToken) =>
        _connection.ReadAsync(db => db.HashGetAsync(RedisEstKeys.Users(label), name), cancellationToken);

    private static RedisValue Write(EstUser user) => RedisJson.Write(EstUserDocument.From(user), RedisEstJsonContext.Instance.EstUserDocument);

    private static EstUser Read(RedisValue value) => RedisJson.Read(value, RedisEstJsonContext.Instance.EstUserDocument, "EST user").ToUser();
}
