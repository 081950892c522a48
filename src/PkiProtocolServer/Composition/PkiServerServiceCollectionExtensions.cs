using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme;
using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Audit;
using PkiProtocolServer.Bootstrap;
using PkiProtocolServer.Configuration;
using PkiProtocolServer.Core.Audit;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.Keys.Software;
using PkiProtocolServer.Core.Roles;
using PkiProtocolServer.Est;
using PkiProtocolServer.Est.Configuration;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Users;
using PkiProtocolServer.Keys.Pkcs11;
using PkiProtocolServer.Storage.Sqlite.Acme;

namespace PkiProtocolServer.Composition;

/// <summary>The composition root: the only place that knows which state and custody providers are in use.</summary>
public static class PkiServerServiceCollectionExtensions
{
    public static IServiceCollection AddPkiServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PkiOptions>().Bind(configuration.GetSection(PkiOptions.Section)).Validate(
            o => o.HttpsPort is > 0 and < 65536 && o.HttpPort is > 0 and < 65536 && o.HttpPort != o.HttpsPort,
            "Pki:HttpsPort and Pki:HttpPort must be distinct ports between 1 and 65535");
        services.AddSingleton(TimeProvider.System);

        services.AddStateStores();
        services.AddKeyCustody(configuration);

        services.AddSingleton<IAuditLog>(sp => new JsonLinesAuditLog(sp.GetRequiredService<IOptions<PkiOptions>>().Value.DataPath("audit.log")));
        services.AddSingleton(sp => new IssuerCatalog(sp.GetRequiredService<IIssuerStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IssuerService>();
        services.AddRevocation(configuration);
        services.AddIssuance();
        services.AddSingleton<ICertificateIssuer>(sp => sp.GetRequiredService<IssuanceService>());
        services.AddSingleton<RoleService>();
        services.AddSingleton<DevelopmentCa>();
        services.AddSingleton<ServerTlsCertificate>();
        services.AddSingleton<AcmeDefaultRole>();
        services.AddAcme(configuration);

        services.AddEst(configuration);
        services.AddOptions<EstOptions>().PostConfigure<IOptions<PkiOptions>>((est, pki) => est.DataDirectory = pki.Value.DataPath());
        services.AddSingleton<EstBootstrap>();

        services.AddSingleton<AdminTokenRegistry>();
        services.AddAuthentication(BearerTokenHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var persona in Enum.GetValues<Persona>())
            {
                options.AddPolicy(Personas.PolicyName(persona), policy => policy.AddRequirements(new PersonaRequirement(persona)));
            }
        });

        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.RespectRequiredConstructorParameters = true;
            // A JSON null for a non-nullable field is as wrong as a missing one, and a field given twice is ambiguous:
            // both are refused while reading the body rather than failing later as a 500.
            options.SerializerOptions.RespectNullableAnnotations = true;
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1");
        return services;
    }

    /// <summary>
    /// State: Redis when <c>Pki:Redis</c> is set, otherwise SQLite in <c>{DataDirectory}/pki.db</c>. Chosen when
    /// first resolved (at start), from the bound options, so every configuration source has been applied.
    /// </summary>
    private static void AddStateStores(this IServiceCollection services)
    {
        services.AddSingleton(sp => StateStores.Open(sp.GetRequiredService<IOptions<PkiOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().Issuers);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().Roles);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().Certificates);

        // Revocation and EST state follow the provider: shared in Redis, else in the SQLite file.
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().Revocations);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().Crls);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().OcspResponders);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().OcspResponses);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().Coordination);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().EstUsers);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().EstEnrollments);

        // The ACME front end's own stores: in Redis when state is (shared by every node), else in the same SQLite
        // database (schema migration 4). SqliteAcmeStores is only resolved, so only opened, with embedded state.
        services.AddSingleton(sp => new SqliteAcmeStores(sp.GetRequiredService<StateStores>().Embedded.Database));
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.Accounts ?? sp.GetRequiredService<SqliteAcmeStores>().Accounts);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.Orders ?? sp.GetRequiredService<SqliteAcmeStores>().Orders);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.Authorizations ?? sp.GetRequiredService<SqliteAcmeStores>().Authorizations);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.Nonces ?? sp.GetRequiredService<SqliteAcmeStores>().Nonces);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.Certificates ?? sp.GetRequiredService<SqliteAcmeStores>().Certificates);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.ExternalAccountKeys ?? sp.GetRequiredService<SqliteAcmeStores>().ExternalAccountKeys);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.RenewalWindows ?? sp.GetRequiredService<SqliteAcmeStores>().RenewalWindows);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.Replacements ?? sp.GetRequiredService<SqliteAcmeStores>().Replacements);
        services.AddSingleton(sp => sp.GetRequiredService<StateStores>().RedisAcme?.RateLimits ?? sp.GetRequiredService<SqliteAcmeStores>().RateLimits);
    }

    /// <summary>Software custody always; PKCS#11 when <c>Pki:Keys:Pkcs11:TokenLabel</c> is set.</summary>
    private static void AddKeyCustody(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp =>
        {
            var (passphrase, generated) = SoftwarePassphrase.Resolve(sp.GetRequiredService<IOptions<PkiOptions>>().Value);
            return new SoftwareKeystorePassphrase(passphrase, generated);
        });
        services.AddSingleton<IKeyCustody>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PkiOptions>>().Value;
            return new SoftwareKeyCustody(new SoftwareKeyCustodyOptions
            {
                Directory = options.DataPath("keys"),
                Passphrase = sp.GetRequiredService<SoftwareKeystorePassphrase>().Value,
            });
        });
        if (!string.IsNullOrEmpty(configuration[$"{PkiOptions.Section}:Keys:Pkcs11:TokenLabel"]))
        {
            services.AddSingleton<IKeyCustody>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<PkiOptions>>().Value.Keys.Pkcs11;
                return new Pkcs11KeyCustody(new Pkcs11KeyCustodyOptions
                {
                    ModulePath = options.ModulePath,
                    TokenLabel = options.TokenLabel!,
                    PinEnvironmentVariable = options.PinEnvironmentVariable,
                    PinFile = options.PinFile,
                    SessionPoolSize = options.SessionPoolSize,
                });
            });
        }

        services.AddSingleton(sp => new KeyCustodyRegistry(sp.GetServices<IKeyCustody>()));
    }
}
