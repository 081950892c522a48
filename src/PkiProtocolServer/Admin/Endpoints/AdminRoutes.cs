using System.Security.Claims;
using PkiProtocolServer.Admin.Auth;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>Maps the admin API under <c>/api/v1</c>: public reads first, then each persona's writes.</summary>
public static class AdminRoutes
{
    public const string Prefix = "/api/v1";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).WithTags("admin");
        IssuerEndpoints.Map(api);
        RoleEndpoints.Map(api);
        IssuanceEndpoints.Map(api);
        CertificateEndpoints.Map(api);
        KeyEndpoints.Map(api);
        RevocationEndpoints.Map(api);
        EstAdminEndpoints.Map(api);
        AcmeEabKeyEndpoints.Map(api);
        AcmeRenewalWindowEndpoints.Map(api);
        return app;
    }

    public static TBuilder RequirePersona<TBuilder>(this TBuilder builder, Persona persona)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Personas.PolicyName(persona));

    /// <summary>The audit actor: the token's name.</summary>
    public static string Actor(this ClaimsPrincipal user) => "token:" + (user.Identity?.Name ?? "anonymous");
}
