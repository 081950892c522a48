using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>
/// ACME Renewal Information windows (RFC 9773) set by the operator: how a mass renewal or an issuer rotation reaches
/// ACME clients. A certificate's window wins over its role's, which wins over its issuer's; role and issuer windows
/// apply to certificates issued before they were set.
/// </summary>
public static class AcmeRenewalWindowEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/acme/renewal-windows", async (RenewalWindowBody body, RenewalWindowService windows, HttpContext http, CancellationToken ct) =>
        {
            var window = await windows.SetAsync(body.Scope, body.Target, body.Start, body.End, body.ExplanationUrl, http.User.Actor(), ct);
            return Results.Ok(RenewalWindowView.From(window));
        }).RequirePersona(Persona.Operator);

        api.MapGet("/acme/renewal-windows", async (RenewalWindowService windows, CancellationToken ct) =>
            Results.Ok(new { windows = (await windows.ListAsync(ct)).Select(RenewalWindowView.From).ToList() }))
            .RequirePersona(Persona.Agent);

        api.MapDelete("/acme/renewal-windows/{scope}/{target}", async (string scope, string target, RenewalWindowService windows, HttpContext http, CancellationToken ct) =>
        {
            await windows.DeleteAsync(scope, target, http.User.Actor(), ct);
            return Results.NoContent();
        }).RequirePersona(Persona.Operator);
    }
}
