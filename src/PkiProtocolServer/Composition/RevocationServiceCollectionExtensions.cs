using Microsoft.Extensions.Options;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Coordination;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Ocsp;
using PkiProtocolServer.Core.Revocation.Tidy;
using PkiProtocolServer.Revocation;

namespace PkiProtocolServer.Composition;

/// <summary>Revocation: the core's services over whichever stores the composition root registered, the options, and the background worker.</summary>
public static class RevocationServiceCollectionExtensions
{
    public static IServiceCollection AddRevocation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RevocationOptions>().Bind(configuration.GetSection(RevocationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RevocationOptions>, RevocationOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RevocationOptions>>().Value);

        services.AddSingleton<RevocationSignal>();
        services.AddSingleton(sp => new OcspNodeCache(sp.GetRequiredService<RevocationOptions>().Ocsp));
        services.AddSingleton<OcspResponders>();
        services.AddSingleton<OcspResponder>();
        services.AddSingleton<RevocationService>();
        services.AddSingleton<ICertificateRevoker>(sp => sp.GetRequiredService<RevocationService>());
        services.AddSingleton<CrlPublisher>();
        services.AddSingleton<CrlReader>();
        services.AddSingleton<TidyService>();
        services.AddSingleton(sp => new RevocationMaintenance(
            sp.GetRequiredService<ICoordinationStore>(),
            sp.GetRequiredService<IRevocationStore>(),
            sp.GetRequiredService<IOcspResponseCache>(),
            sp.GetRequiredService<IssuerCatalog>(),
            sp.GetRequiredService<CrlPublisher>(),
            sp.GetRequiredService<OcspResponders>(),
            sp.GetRequiredService<OcspResponder>(),
            sp.GetRequiredService<TidyService>(),
            sp.GetRequiredService<RevocationOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            configuration[$"{Configuration.PkiOptions.Section}:NodeId"]));
        services.AddHostedService<RevocationBackgroundService>();
        return services;
    }

    /// <summary>The issuance service, told how many CRL shards to spread certificates over.</summary>
    public static IServiceCollection AddIssuance(this IServiceCollection services)
    {
        services.AddSingleton(sp => new Core.Issuance.IssuanceService(
            sp.GetRequiredService<Core.Roles.IRoleStore>(),
            sp.GetRequiredService<ICertificateStore>(),
            sp.GetRequiredService<IssuerCatalog>(),
            sp.GetRequiredService<KeyCustodyRegistry>(),
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RevocationOptions>().Crl.Shards));
        return services;
    }

    private sealed class RevocationOptionsValidator : IValidateOptions<RevocationOptions>
    {
        public ValidateOptionsResult Validate(string? name, RevocationOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
