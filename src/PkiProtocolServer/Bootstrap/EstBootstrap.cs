using Microsoft.Extensions.Options;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est.ChannelBinding;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Bootstrap;

/// <summary>
/// Makes EST work out of the box: creates the default label's role (<c>est-device</c>) when it is the built-in one and
/// missing, hashes the default user's password (from configuration or <c>{DataDirectory}/est-password</c>), runs the
/// tls-exporter self-test, and warns about labels whose role does not exist.
/// </summary>
public sealed partial class EstBootstrap
{
    private readonly RoleService _roles;
    private readonly EstLabelRegistry _labels;
    private readonly EstPasswordAuthenticator _passwords;
    private readonly TlsChannelBindings _bindings;
    private readonly EstOptions _options;
    private readonly ILogger<EstBootstrap> _logger;

    public EstBootstrap(RoleService roles, EstLabelRegistry labels, EstPasswordAuthenticator passwords, TlsChannelBindings bindings, IOptions<EstOptions> options, ILogger<EstBootstrap> logger)
    {
        _roles = roles;
        _labels = labels;
        _passwords = passwords;
        _bindings = bindings;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Where the default password is kept, or null when it comes from configuration.</summary>
    public string? PasswordFile { get; private set; }

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_options.Default.Role) && await _roles.GetAsync(EstOptions.DefaultRoleName, cancellationToken) is null)
        {
            // Devices name themselves (a serial number, a host name): any valid host name, client and server
            // authentication, 30 days. Deployments point Pki:Est:Default:Role at a narrower role.
            await _roles.PutAsync(
                new Role
                {
                    Name = EstOptions.DefaultRoleName,
                    AllowAnyName = true,
                    AllowIpSans = true,
                    KeyType = "any",
                    ExtKeyUsage = ["ClientAuth", "ServerAuth"],
                    Ttl = TimeSpan.FromDays(30),
                    MaxTtl = TimeSpan.FromDays(90),
                },
                DevelopmentCa.Actor,
                cancellationToken);
        }

        PasswordFile = DefaultPassword.Resolve(_options).File;
        _passwords.Prepare();
        await _bindings.InitializeAsync();
        foreach (var label in _labels.All)
        {
            if (await _roles.GetAsync(label.Role, cancellationToken) is null)
            {
                LogMissingRole(_logger, label.DisplayName, label.Role);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "EST label {Label} uses role '{Role}', which does not exist: its enrollments answer 503 until the role is created")]
    private static partial void LogMissingRole(ILogger logger, string label, string role);
}
