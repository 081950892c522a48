using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Roles;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>Roles: requesters read them, agents write them.</summary>
public static class RoleEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/roles", async (RoleService roles, CancellationToken ct) =>
            Results.Ok(new { roles = (await roles.ListAsync(ct)).Select(r => r.Name).Order(StringComparer.Ordinal).ToList() }))
            .RequirePersona(Persona.Requester);

        api.MapGet("/roles/{name}", async (string name, RoleService roles, CancellationToken ct) =>
            Results.Ok(RoleBody.ToView(await roles.GetAsync(name, ct) ?? throw PkiException.NotFound($"role '{name}' does not exist"))))
            .RequirePersona(Persona.Requester);

        async Task<IResult> Write(string name, RoleBody body, RoleService roles, HttpContext http, CancellationToken ct) =>
            Results.Ok(RoleBody.ToView(await roles.PutAsync(body.ToRole(name), http.User.Actor(), ct)));

        api.MapPut("/roles/{name}", Write).RequirePersona(Persona.Agent);
        api.MapPost("/roles/{name}", Write).RequirePersona(Persona.Agent);

        api.MapDelete("/roles/{name}", async (string name, RoleService roles, HttpContext http, CancellationToken ct) =>
        {
            await roles.DeleteAsync(name, http.User.Actor(), ct);
            return Results.NoContent();
        }).RequirePersona(Persona.Agent);
    }
}
