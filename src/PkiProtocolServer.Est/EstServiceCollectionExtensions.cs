using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Est.Authentication;
using PkiProtocolServer.Est.ChannelBinding;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Est;

/// <summary>
/// Registers the EST front end. The host supplies the core services (<c>ICertificateIssuer</c>, <c>IRoleStore</c>,
/// <c>IssuerCatalog</c>, <c>IAuditLog</c>, <c>TimeProvider</c>) and the two EST stores (<see cref="IPendingEnrollmentStore"/>,
/// <see cref="IEstUserStore"/>) from its state provider.
/// </summary>
public static class EstServiceCollectionExtensions
{
    public static IServiceCollection AddEst(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EstOptions>().Bind(configuration.GetSection(EstOptions.Section));
        services.AddSingleton<EstLabelRegistry>();
        services.AddSingleton(sp => new PasswordHasher(sp.GetRequiredService<IOptions<EstOptions>>().Value.PasswordHashIterations));
        services.AddSingleton<EstPasswordAuthenticator>();
        services.AddSingleton<ClientCertificateValidator>();
        services.AddSingleton<EstAuthenticator>();
        services.AddSingleton<TlsChannelBindings>();
        services.AddSingleton<EstEnrollmentService>();
        services.AddSingleton<EstApprovalService>();
        services.AddSingleton<EstUserService>();
        return services;
    }
}
