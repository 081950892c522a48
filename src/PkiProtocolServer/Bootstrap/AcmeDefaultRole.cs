using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Bootstrap;

/// <summary>
/// The embedded default's ACME policy (DESIGN.md): when the default ACME directory uses the role
/// <c>acme-default</c> and no such role exists, it is created bound to the default issuer, accepting any DNS name
/// (wildcards included, hostname syntax enforced) and any IP address that passes validation, as a public ACME CA
/// does. An operator narrows it by editing the role; an existing role is never touched.
/// </summary>
public sealed partial class AcmeDefaultRole
{
    private readonly RoleService _roles;
    private readonly AcmeDirectories _directories;
    private readonly AcmeOptions _options;
    private readonly ILogger<AcmeDefaultRole> _logger;

    public AcmeDefaultRole(RoleService roles, AcmeDirectories directories, IOptions<AcmeOptions> options, ILogger<AcmeDefaultRole> logger)
    {
        _roles = roles;
        _directories = directories;
        _options = options.Value;
        _logger = logger;
    }

    public static Role Create() => new()
    {
        Name = AcmeDirectory.DefaultRoleName,
        IssuerRef = "default",
        AllowAnyName = true,
        EnforceHostnames = true,
        AllowWildcardCertificates = true,
        AllowIpSans = true,
        KeyUsage = ["DigitalSignature", "KeyEncipherment"],
        ExtKeyUsage = ["ServerAuth", "ClientAuth"],
        Ttl = TimeSpan.FromDays(90),
        MaxTtl = TimeSpan.FromDays(90),
    };

    /// <summary>Returns true when it created the role now.</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled || _directories.Default.Role != AcmeDirectory.DefaultRoleName
            || await _roles.GetAsync(AcmeDirectory.DefaultRoleName, cancellationToken) is not null)
        {
            return false;
        }

        await _roles.PutAsync(Create(), DevelopmentCa.Actor, cancellationToken);
        LogCreated(_logger, AcmeDirectory.DefaultRoleName);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created role {Role} for the default ACME directory: any DNS name or IP address that passes validation is issued for. Edit the role to narrow it.")]
    private static partial void LogCreated(ILogger logger, string role);
}
