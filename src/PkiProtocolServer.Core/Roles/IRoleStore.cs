namespace PkiProtocolServer.Core.Roles;

/// <summary>Durable store of roles, owned by the core.</summary>
public interface IRoleStore
{
    Task<Role?> GetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Role>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces the role of that name.</summary>
    Task PutAsync(Role role, CancellationToken cancellationToken);

    /// <summary>False when no role had that name.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
