using System.Security.Cryptography;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Labels;

namespace PkiProtocolServer.Est.Users;

/// <summary>
/// What the admin API does with EST password users: create them (the password is shown once; only its hash is kept),
/// list them without their hashes, delete them. Each change is audited.
/// </summary>
public sealed class EstUserService
{
    /// <summary>Shortest password an operator may choose; generated ones are 24 characters.</summary>
    public const int MinimumPasswordLength = 12;

    private readonly IEstUserStore _users;
    private readonly EstLabelRegistry _labels;
    private readonly PasswordHasher _hasher;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public EstUserService(IEstUserStore users, EstLabelRegistry labels, PasswordHasher hasher, IAuditLog audit, TimeProvider time)
    {
        _users = users;
        _labels = labels;
        _hasher = hasher;
        _audit = audit;
        _time = time;
    }

    /// <summary>Creates a user on a label and returns it with its password, which exists in clear only in this answer.</summary>
    public Task<(EstUser User, string Password)> CreateAsync(EstUserRequest request, string actor, CancellationToken cancellationToken)
    {
        var label = RequireLabel(request.Label);
        var name = string.IsNullOrWhiteSpace(request.Name) ? "device-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) : request.Name.Trim();
        if (name.Length > 128 || name.Contains(':', StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            throw PkiException.Malformed("name must be at most 128 characters, without ':' (RFC 7617 forbids it in a user-id) or control characters");
        }

        if (label.IsDefault && name == EstOptions.DefaultUser)
        {
            throw PkiException.Conflict($"user '{EstOptions.DefaultUser}' of the default label comes from configuration (Pki:Est:DefaultPassword)");
        }

        if (request.Password is { } chosen && chosen.Length < MinimumPasswordLength)
        {
            throw PkiException.Malformed($"password must be at least {MinimumPasswordLength} characters; omit it to get a generated one");
        }

        if (request.Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw PkiException.Malformed("ttl must be positive");
        }

        var password = request.Password ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var now = _time.GetUtcNow();
        var user = new EstUser
        {
            Label = label.Name,
            Name = name,
            PasswordHash = _hasher.Hash(password),
            OneTime = request.OneTime,
            CreatedAt = now,
            CreatedBy = actor,
            ExpiresAt = request.Ttl is { } lifetime ? now + lifetime : null,
        };
        return _audit.AuditedAsync(_time, actor, "est.user.create", async () =>
        {
            await _users.AddAsync(user, cancellationToken).ConfigureAwait(false);
            return (user, password);
        }, (_, e) => e with { Detail = $"label {label.DisplayName}, user {name}{(user.OneTime ? ", one-time" : string.Empty)}" }, null, cancellationToken);
    }

    public Task<IReadOnlyList<EstUser>> ListAsync(string label, CancellationToken cancellationToken) =>
        _users.ListAsync(RequireLabel(label).Name, cancellationToken);

    public Task DeleteAsync(string label, string name, string actor, CancellationToken cancellationToken)
    {
        var resolved = RequireLabel(label);
        return _audit.AuditedAsync(_time, actor, "est.user.delete", async () =>
        {
            if (!await _users.DeleteAsync(resolved.Name, name, cancellationToken).ConfigureAwait(false))
            {
                throw PkiException.NotFound($"label {resolved.DisplayName} has no user '{name}'");
            }

            return true;
        }, (_, e) => e with { Detail = $"label {resolved.DisplayName}, user {name}" }, null, cancellationToken);
    }

    /// <summary>The label by the name the admin API uses: <c>default</c> for the default label.</summary>
    public EstLabel RequireLabel(string label) =>
        _labels.Find(label == "default" ? string.Empty : label) ?? throw PkiException.NotFound($"no EST label '{label}' is configured");
}

/// <summary>A request to create an EST password user.</summary>
/// <param name="Label">Label name, or <c>default</c>.</param>
/// <param name="Name">User name; null = generated (<c>device-…</c>).</param>
/// <param name="Password">Password; null = generated.</param>
/// <param name="OneTime">Consumed by the first enrollment it authenticates.</param>
/// <param name="Ttl">Lifetime; null = no expiry.</param>
public sealed record EstUserRequest(string Label, string? Name, string? Password, bool OneTime, TimeSpan? Ttl);
