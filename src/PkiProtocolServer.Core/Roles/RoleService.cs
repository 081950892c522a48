using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Roles;

/// <summary>Role writes with validation and audit; reads go straight to the store.</summary>
public sealed class RoleService
{
    private readonly IRoleStore _store;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public RoleService(IRoleStore store, IAuditLog audit, TimeProvider time)
    {
        _store = store;
        _audit = audit;
        _time = time;
    }

    public Task<Role?> GetAsync(string name, CancellationToken cancellationToken) => _store.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<Role>> ListAsync(CancellationToken cancellationToken) => _store.ListAsync(cancellationToken);

    public Task<Role> PutAsync(Role role, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "role.write", async () =>
        {
            RoleValidator.Validate(role);
            await _store.PutAsync(role, cancellationToken).ConfigureAwait(false);
            return role;
        }, (r, e) => e, new AuditEvent { Time = default, Actor = actor, Operation = string.Empty, Outcome = string.Empty, Role = role.Name }, cancellationToken);

    public Task DeleteAsync(string name, string actor, CancellationToken cancellationToken) =>
        _audit.AuditedAsync(_time, actor, "role.delete", async () =>
        {
            if (!await _store.DeleteAsync(name, cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.NotFound($"role '{name}' does not exist");
            }

            return name;
        }, (r, e) => e, new AuditEvent { Time = default, Actor = actor, Operation = string.Empty, Outcome = string.Empty, Role = name }, cancellationToken);
}
