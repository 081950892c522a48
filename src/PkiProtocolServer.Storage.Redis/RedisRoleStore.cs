using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Storage.Redis.Documents;
using StackExchange.Redis;
using Role = PkiProtocolServer.Core.Roles.Role;

namespace PkiProtocolServer.Storage.Redis;

/// <summary>
/// Roles in the hash <c>roles</c>: name → whole role as one JSON document. A put is one HSET, so concurrent
/// puts of one role leave one whole version, never a mix.
/// </summary>
public sealed class RedisRoleStore : IRoleStore
{
    private readonly RedisConnection _connection;

    public RedisRoleStore(RedisConnection connection)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    public Task<Role?> GetAsync(string name, CancellationToken cancellationToken) =>
        _connection.ReadAsync(async db =>
        {
            var value = await db.HashGetAsync(RedisKeys.Roles, name).ConfigureAwait(false);
            return value.IsNull ? null : ReadRole(value);
        }, cancellationToken);

    public Task<IReadOnlyList<Role>> ListAsync(CancellationToken cancellationToken) =>
        _connection.ReadAsync<IReadOnlyList<Role>>(async db =>
        {
            var values = await db.HashValuesAsync(RedisKeys.Roles).ConfigureAwait(false);
            return [.. values.Select(ReadRole).OrderBy(r => r.Name, StringComparer.Ordinal)];
        }, cancellationToken);

    public Task PutAsync(Role role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        var document = RedisJson.Write(RoleDocument.From(role), RedisJson.Context.RoleDocument);
        return _connection.WriteAsync(db => db.HashSetAsync(RedisKeys.Roles, role.Name, document), cancellationToken);
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        _connection.WriteAsync(db => db.HashDeleteAsync(RedisKeys.Roles, name), cancellationToken);

    private static Role ReadRole(RedisValue value) =>
        RedisJson.Read(value, RedisJson.Context.RoleDocument, "role").ToRole();
}
