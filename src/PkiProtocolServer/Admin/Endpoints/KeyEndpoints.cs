using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>CA keys and custodies: operator only. Custody is reported plainly, development grade included.</summary>
public static class KeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/keys", async (IIssuerStore store, KeyCustodyRegistry custodies, CancellationToken ct) =>
            Results.Ok(new { keys = (await store.ListKeysAsync(ct)).Select(k => IssuerContractMapping.ToView(k, custodies)).ToList() }))
            .RequirePersona(Persona.Operator);

        api.MapGet("/keys/{id}", async (string id, IIssuerStore store, KeyCustodyRegistry custodies, CancellationToken ct) =>
            Results.Ok(IssuerContractMapping.ToView(await store.GetKeyAsync(id, ct) ?? throw PkiException.NotFound($"key '{id}' does not exist"), custodies)))
            .RequirePersona(Persona.Operator);

        api.MapDelete("/keys/{id}", async (string id, IssuerService issuers, HttpContext http, CancellationToken ct) =>
        {
            await issuers.DeleteKeyAsync(id, http.User.Actor(), ct);
            return Results.NoContent();
        }).RequirePersona(Persona.Operator);

        api.MapGet("/custody", (KeyCustodyRegistry custodies) =>
            Results.Ok(new
            {
                custodies = custodies.Names.Select(n => new
                {
                    name = n,
                    development_grade = custodies.Get(n).IsDevelopmentGrade,
                    note = custodies.Get(n).IsDevelopmentGrade
                        ? "private keys are encrypted files decrypted into server memory: development grade, not for production CAs"
                        : "private keys stay inside the device; the server only asks for signatures",
                }).ToList(),
            })).RequirePersona(Persona.Operator);
    }
}
