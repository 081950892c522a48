using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>
/// External Account Binding keys for ACME (RFC 8555 7.3.4): agents create them and hand the id and HMAC key to a
/// client out of band; the HMAC key is shown once, in the creation answer.
/// </summary>
public static class AcmeEabKeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/acme/eab-keys", async (EabKeyBody body, ExternalAccountKeyService keys, HttpContext http, CancellationToken ct) =>
        {
            var ttl = body.Ttl is null ? (TimeSpan?)null : Core.Durations.Parse(body.Ttl, "ttl");
            var key = await keys.CreateAsync(body.Directory, body.Label, ttl, http.User.Actor(), ct);
            return Results.Created($"{AdminRoutes.Prefix}/acme/eab-keys/{key.Id}", EabKeyView.From(key, withSecret: true));
        }).RequirePersona(Persona.Agent);

        api.MapGet("/acme/eab-keys", async (string? directory, ExternalAccountKeyService keys, CancellationToken ct) =>
            Results.Ok(new { keys = (await keys.ListAsync(directory, ct)).Select(k => EabKeyView.From(k, withSecret: false)).ToList() }))
            .RequirePersona(Persona.Agent);

        api.MapDelete("/acme/eab-keys/{id}", async (string id, ExternalAccountKeyService keys, HttpContext http, CancellationToken ct) =>
        {
            await keys.DeleteAsync(id, http.User.Actor(), ct);
            return Results.NoContent();
        }).RequirePersona(Persona.Agent);
    }
}
