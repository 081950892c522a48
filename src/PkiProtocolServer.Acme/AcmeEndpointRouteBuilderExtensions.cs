using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PkiProtocolServer.Acme.Endpoints;
using PkiProtocolServer.Acme.Http;

namespace PkiProtocolServer.Acme;

/// <summary>Maps the ACME routes of <see cref="AcmePaths"/> (default directory and named directories) and its response middleware.</summary>
public static class AcmeEndpointRouteBuilderExtensions
{
    /// <summary>The middleware that gives every <c>/acme</c> response its nonce, index link, no-store and problem documents.</summary>
    public static IApplicationBuilder UseAcme(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(AcmePaths.Root, StringComparison.Ordinal), branch => branch.UseMiddleware<AcmeResponseMiddleware>());

    public static IEndpointRouteBuilder MapAcme(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { AcmePaths.Root, AcmePaths.DirectoryRoot })
        {
            var acme = app.MapGroup(prefix).AddEndpointFilter<AcmeJwsFilter>().ExcludeFromDescription();
            acme.MapGet(AcmePaths.Directory, (HttpContext http, DirectoryEndpoint e) => e.Handle(http));
            acme.MapMethods(AcmePaths.NewNonce, [HttpMethods.Head, HttpMethods.Get], (HttpContext http, NewNonceEndpoint e) => e.HandleAsync(http));

            acme.MapPost(AcmePaths.NewAccount, (HttpContext http, NewAccountEndpoint e) => e.HandleAsync(http)).RequireJwk();
            acme.MapPost(AcmePaths.Account, (HttpContext http, string id, AccountEndpoint e) => e.HandleAsync(http, id)).RequireKid(postAsGet: true);
            acme.MapPost(AcmePaths.AccountOrders, (HttpContext http, string id, AccountOrdersEndpoint e) => e.HandleAsync(http, id)).RequireKid(postAsGet: true, payload: false);
            acme.MapPost(AcmePaths.KeyChange, (HttpContext http, KeyChangeEndpoint e) => e.HandleAsync(http)).RequireKid();
            acme.MapPost(AcmePaths.NewOrder, (HttpContext http, NewOrderEndpoint e) => e.HandleAsync(http)).RequireKid();
            acme.MapPost(AcmePaths.NewAuthz, (HttpContext http, NewAuthzEndpoint e) => e.HandleAsync(http)).RequireKid();
            acme.MapPost(AcmePaths.Order, (HttpContext http, string id, OrderEndpoint e) => e.HandleAsync(http, id)).RequireKid(postAsGet: true, payload: false);
            acme.MapPost(AcmePaths.Finalize, (HttpContext http, string id, FinalizeEndpoint e) => e.HandleAsync(http, id)).RequireKid();
            acme.MapPost(AcmePaths.Authorization, (HttpContext http, string id, AuthorizationEndpoint e) => e.HandleAsync(http, id)).RequireKid(postAsGet: true);
            acme.MapPost(AcmePaths.Challenge, (HttpContext http, string authzId, string id, ChallengeEndpoint e) => e.HandleAsync(http, authzId, id)).RequireKid(postAsGet: true);
            acme.MapPost(AcmePaths.Certificate, (HttpContext http, string id, CertificateEndpoint e) => e.HandleAsync(http, id, null)).RequireKid(postAsGet: true, payload: false);
            acme.MapPost(AcmePaths.CertificateAlternate, (HttpContext http, string id, int index, CertificateEndpoint e) => e.HandleAsync(http, id, index)).RequireKid(postAsGet: true, payload: false);
            acme.MapGet(AcmePaths.RenewalInfo, (HttpContext http, string certId, RenewalInfoEndpoint e) => e.HandleAsync(http, certId));
            acme.MapPost(AcmePaths.RevokeCert, (HttpContext http, RevokeCertEndpoint e) => e.HandleAsync(http)).AllowJwkOrKid();
        }

        return app;
    }
}
