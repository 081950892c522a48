using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PkiProtocolServer.Acme.Endpoints;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.RateLimits;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Testing;
using PkiProtocolServer.Acme.Validation;

namespace PkiProtocolServer.Acme;

/// <summary>
/// Registers the ACME front end. The host adds the store providers (<see cref="Stores"/> interfaces), the core's
/// <c>ICertificateIssuer</c>, an <c>IAuditLog</c> and a <see cref="TimeProvider"/>.
/// </summary>
public static class AcmeServiceCollectionExtensions
{
    public static IServiceCollection AddAcme(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AcmeOptions>()
            .Bind(configuration.GetSection(AcmeOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => !AcmeDirectories.Validate(o).Any(), "Pki:Acme:Directories has an invalid directory (see the log for which)")
            .Validate(o => o.ValidationTimeout > TimeSpan.Zero && o.NonceLifetime > TimeSpan.Zero && o.OrderLifetime > TimeSpan.Zero
                && o.PendingAuthorizationLifetime > TimeSpan.Zero && o.ValidAuthorizationLifetime > TimeSpan.Zero && o.ValidationRetryDelay >= TimeSpan.Zero
                && o.RenewalInfoRetryAfter >= TimeSpan.FromMinutes(1) && o.RenewalInfoRetryAfter <= TimeSpan.FromDays(7),
                "Pki:Acme lifetimes and timeouts must be positive; RenewalInfoRetryAfter between 1 minute and 7 days")
            .Validate(o => !o.RateLimits.Validate().Any(), "Pki:Acme:RateLimits has an invalid limit: a negative Limit, a Period that is not positive, or an override that matches nothing or names a bad Network")
            .Validate(o => o.Tidy.Interval > TimeSpan.Zero && o.Tidy.DeactivatedAccountRetention >= TimeSpan.Zero, "Pki:Acme:Tidy:Interval must be positive and DeactivatedAccountRetention not negative")
            .Validate(o => o.Testing.BadNonceRate is >= 0 and <= 1 && o.Testing.ValidationDelay >= TimeSpan.Zero, "Pki:Acme:Testing:BadNonceRate must be within 0..1 and ValidationDelay not negative")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AcmeOptions>, AcmeDirectoryOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<AcmeDirectories>();
        services.AddSingleton<NonceService>();
        services.AddSingleton<AcmeMetrics>();
        services.AddSingleton<AcmeRateLimiter>();
        services.AddHostedService<AcmeTestingAnnouncer>();
        services.AddSingleton<AcmeRequestVerifier>();
        services.AddSingleton<AcmeJwsFilter>();
        services.AddSingleton<ExternalAccountBindingVerifier>();
        services.AddSingleton<ExternalAccountKeyService>();
        services.AddSingleton<AcmeObjects>();
        services.AddSingleton<AcmeAudit>();
        services.AddSingleton<NewOrderService>();
        services.AddSingleton<FinalizeService>();
        services.AddSingleton<RenewalInfoService>();
        services.AddSingleton<ReplacementService>();
        services.AddSingleton<RenewalWindowService>();

        services.AddSingleton<DirectoryEndpoint>();
        services.AddSingleton<NewNonceEndpoint>();
        services.AddSingleton<NewAccountEndpoint>();
        services.AddSingleton<AccountEndpoint>();
        services.AddSingleton<AccountOrdersEndpoint>();
        services.AddSingleton<KeyChangeEndpoint>();
        services.AddSingleton<NewOrderEndpoint>();
        services.AddSingleton<OrderEndpoint>();
        services.AddSingleton<FinalizeEndpoint>();
        services.AddSingleton<AuthorizationEndpoint>();
        services.AddSingleton<ChallengeEndpoint>();
        services.AddSingleton<CertificateEndpoint>();
        services.AddSingleton<RevokeCertEndpoint>();
        services.AddSingleton<RenewalInfoEndpoint>();

        services.AddSingleton<ValidationSignal>();
        services.TryAddSingleton<IAcmeDnsResolver, AcmeDnsResolver>();
        services.AddSingleton<IChallengeValidator, Http01Validator>();
        services.AddSingleton<IChallengeValidator, Dns01Validator>();
        services.AddSingleton<IChallengeValidator, TlsAlpn01Validator>();
        services.AddSingleton<IChallengeValidator, DnsAccount01Validator>();
        services.AddSingleton<CaaChecker>();
        services.AddSingleton<CaaRecheck>();
        services.AddSingleton<NewAuthzEndpoint>();
        services.AddSingleton<PreAuthorizationService>();
        services.AddSingleton<ChallengeValidationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ChallengeValidationWorker>());
        services.AddSingleton<AcmeJanitor>();
        services.AddHostedService(sp => sp.GetRequiredService<AcmeJanitor>());
        return services;
    }
}

/// <summary>Reports each bad directory by name at start, rather than one generic message.</summary>
internal sealed class AcmeDirectoryOptionsValidator : IValidateOptions<AcmeOptions>
{
    public ValidateOptionsResult Validate(string? name, AcmeOptions options)
    {
        var failures = AcmeDirectories.Validate(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
