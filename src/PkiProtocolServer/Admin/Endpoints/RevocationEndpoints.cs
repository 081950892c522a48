using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;
using PkiProtocolServer.Core;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.Revocation.Crl;
using PkiProtocolServer.Core.Revocation.Tidy;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>
/// Revocation (agent, as Vault's <c>/revoke</c>; requesters may revoke with proof of the key), revocation
/// status (anyone), CRL rotation and tidy (agent). A revocation is committed to the store before the 200.
/// </summary>
public static class RevocationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/revoke", async (RevokeBody body, RevocationService revocations, HttpContext http, CancellationToken ct) =>
        {
            if ((body.SerialNumber is null) == (body.Certificate is null))
            {
                throw PkiException.Malformed("give exactly one of serial_number or certificate");
            }

            var reason = RevocationReasons.Parse(body.Reason);
            var entry = body.SerialNumber is not null
                ? await revocations.RevokeSerialAsync(body.SerialNumber, reason, body.InvalidityDate, http.User.Actor(), ct)
                : await revocations.RevokeCertificateAsync(RevocationInput.Certificate(body.Certificate!), null, reason, body.InvalidityDate, http.User.Actor(), ct);
            return Results.Ok(RevocationView.From(entry));
        }).RequirePersona(Persona.Agent);

        api.MapPost("/issuers/{issuerRef}/revoke", async (string issuerRef, IssuerRevokeBody body, RevocationService revocations, HttpContext http, CancellationToken ct) =>
        {
            var entry = await revocations.RevokeCertificateAsync(RevocationInput.Certificate(body.Certificate), issuerRef, RevocationReasons.Parse(body.Reason), body.InvalidityDate, http.User.Actor(), ct);
            return Results.Ok(RevocationView.From(entry));
        }).RequirePersona(Persona.Agent);

        api.MapPost("/revoke-with-key", async (RevokeWithKeyBody body, RevocationService revocations, HttpContext http, CancellationToken ct) =>
        {
            var entry = await revocations.RevokeWithKeyAsync(RevocationInput.Certificate(body.Certificate), body.Proof(), RevocationReasons.Parse(body.Reason), http.User.Actor(), ct);
            return Results.Ok(RevocationView.From(entry));
        }).RequirePersona(Persona.Requester);

        api.MapGet("/revoked/{serial}", async (string serial, IRevocationStore store, CancellationToken ct) =>
        {
            var normalized = SerialNumbers.Normalize(serial) ?? throw PkiException.Malformed($"'{serial}' is not a hexadecimal serial number");
            var entry = await store.GetAsync(normalized, ct) ?? throw PkiException.NotFound($"certificate {normalized} is not revoked");
            return Results.Ok(RevocationView.From(entry));
        }).AllowAnonymous();

        api.MapGet("/crls", async (Core.Issuers.IssuerCatalog catalog, ICrlStore crls, CancellationToken ct) =>
        {
            var views = new List<CrlView>();
            foreach (var issuer in (await catalog.GetAsync(ct)).All)
            {
                views.AddRange((await crls.ListAsync(issuer.Issuer.Id, ct)).Select(CrlView.From));
            }

            return Results.Ok(new { crls = views });
        }).AllowAnonymous();

        api.MapPost("/crl/rotate", async (CrlPublisher publisher, CancellationToken ct) =>
        {
            var report = await publisher.PublishDueAsync(force: true, ct);
            if (report.Failures.Count > 0)
            {
                var failure = report.Failures[0];
                throw failure.Error as PkiException ?? new PkiException(PkiErrorKind.Unavailable, $"the CRLs of issuer {failure.IssuerId} could not be built", inner: failure.Error);
            }

            return Results.Ok(new { crls = report.Published.Select(CrlView.From).ToList() });
        }).RequirePersona(Persona.Agent);

        api.MapPost("/tidy", async (TidyBody? body, TidyService tidy, RevocationMaintenance maintenance, HttpContext http, CancellationToken ct) =>
        {
            var buffer = body?.SafetyBuffer is { } text ? Durations.Parse(text, "safety_buffer") : (TimeSpan?)null;
            var report = await tidy.RunAsync(http.User.Actor(), maintenance.NodeId, buffer, ct);
            return Results.Ok(TidyView.From(report));
        }).RequirePersona(Persona.Agent);

        api.MapGet("/tidy-status", async (TidyService tidy, RevocationOptions options, CancellationToken ct) =>
        {
            var last = await tidy.LastReportAsync(ct);
            return Results.Ok(new
            {
                last_run = last is null ? null : TidyView.From(last),
                schedule = new
                {
                    enabled = options.Tidy.Enabled,
                    interval = Durations.Format(options.Tidy.Interval),
                    safety_buffer = Durations.Format(options.Tidy.SafetyBuffer),
                },
            });
        }).RequirePersona(Persona.Agent);
    }
}
