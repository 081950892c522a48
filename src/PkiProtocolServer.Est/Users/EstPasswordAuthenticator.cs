using Microsoft.Extensions.Options;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Labels;

namespace PkiProtocolServer.Est.Users;

/// <summary>
/// Checks HTTP Basic credentials of a label: the configured user <c>est</c> of the default label (its hash kept in
/// memory) and the users in <see cref="IEstUserStore"/>. Every failure costs one PBKDF2 run, whether or not the user
/// exists, and is reported the same way.
/// </summary>
public sealed class EstPasswordAuthenticator
{
    private readonly IEstUserStore _users;
    private readonly PasswordHasher _hasher;
    private readonly TimeProvider _time;
    private readonly Lazy<EstUser> _defaultUser;

    public EstPasswordAuthenticator(IEstUserStore users, PasswordHasher hasher, IOptions<EstOptions> options, TimeProvider time)
    {
        _users = users;
        _hasher = hasher;
        _time = time;
        _defaultUser = new Lazy<EstUser>(() => new EstUser
        {
            Label = string.Empty,
            Name = EstOptions.DefaultUser,
            PasswordHash = hasher.Hash(DefaultPassword.Resolve(options.Value).Password),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = "configuration",
        });
    }

    /// <summary>Hashes the default user's password now (at start, not on the first device's request).</summary>
    public void Prepare() => _ = _defaultUser.Value;

    /// <summary>The user when the password is right, unexpired and (for one-time users) still usable for some request.</summary>
    public async Task<EstUser?> AuthenticateAsync(EstLabel label, string name, string password, CancellationToken cancellationToken)
    {
        var user = label.IsDefault && name == EstOptions.DefaultUser
            ? _defaultUser.Value
            : await _users.GetAsync(label.Name, name, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            _hasher.VerifyDecoy(password);
            return null;
        }

        if (!PasswordHasher.Verify(password, user.PasswordHash))
        {
            return null;
        }

        return user.ExpiresAt is { } expires && expires <= _time.GetUtcNow() ? null : user;
    }
}
