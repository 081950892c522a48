using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;
using PkiProtocolServer.Core;
using PkiProtocolServer.Core.Issuers;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>Issuer lifecycle: public reads; generation, signing, import, settings and deletion for operators.</summary>
public static class IssuerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/issuers", async (IssuerCatalog catalog, CancellationToken ct) =>
        {
            var snapshot = await catalog.GetAsync(ct);
            return Results.Ok(new { issuers = snapshot.All.Select(i => IssuerContractMapping.ToView(i, snapshot) with { CaChain = [] }).ToList() });
        }).AllowAnonymous();

        api.MapGet("/issuers/{issuerRef}", async (string issuerRef, IssuerCatalog catalog, CancellationToken ct) =>
        {
            var snapshot = await catalog.GetAsync(ct);
            return Results.Ok(IssuerContractMapping.ToView(snapshot.Resolve(issuerRef), snapshot));
        }).AllowAnonymous();

        api.MapGet("/issuers/{issuerRef}/pem", async (string issuerRef, IssuerCatalog catalog, CancellationToken ct) =>
            Results.Text(Pem.Encode("CERTIFICATE", (await catalog.GetAsync(ct)).Resolve(issuerRef).Issuer.CertificateDer), "application/x-pem-file")).AllowAnonymous();

        api.MapGet("/issuers/{issuerRef}/der", async (string issuerRef, IssuerCatalog catalog, CancellationToken ct) =>
            Results.Bytes((await catalog.GetAsync(ct)).Resolve(issuerRef).Issuer.CertificateDer, "application/pkix-cert")).AllowAnonymous();

        api.MapPost("/issuers/generate/root", async (GenerateRootBody body, IssuerService issuers, IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
        {
            var issuer = await issuers.GenerateRootAsync(body.ToRequest(), http.User.Actor(), ct);
            var snapshot = await catalog.GetAsync(ct);
            return Results.Created($"{AdminRoutes.Prefix}/issuers/{issuer.Id}", IssuerContractMapping.ToView(snapshot.Resolve(issuer.Id), snapshot));
        }).RequirePersona(Persona.Operator);

        api.MapPost("/issuers/generate/intermediate", async (GenerateIntermediateBody body, IssuerService issuers, HttpContext http, CancellationToken ct) =>
        {
            var result = await issuers.GenerateIntermediateAsync(body.ToRequest(), http.User.Actor(), ct);
            return Results.Ok(new { key_id = result.Key.Id, key_name = result.Key.Name, key_ref = result.Key.KeyReference, csr = Pem.Encode("CERTIFICATE REQUEST", result.CsrDer) });
        }).RequirePersona(Persona.Operator);

        api.MapPost("/issuers/{issuerRef}/csr", async (string issuerRef, IssuerService issuers, HttpContext http, CancellationToken ct) =>
        {
            var result = await issuers.CsrForIssuerAsync(issuerRef, http.User.Actor(), ct);
            return Results.Ok(new { key_id = result.Key.Id, csr = Pem.Encode("CERTIFICATE REQUEST", result.CsrDer) });
        }).RequirePersona(Persona.Operator);

        api.MapPost("/issuers/{issuerRef}/sign-intermediate", async (string issuerRef, SignIntermediateBody body, IssuerService issuers, HttpContext http, CancellationToken ct) =>
        {
            var request = new SignIntermediateRequest
            {
                Csr = Pem.DecodeOne(System.Text.Encoding.ASCII.GetBytes(body.Csr), "CERTIFICATE REQUEST", "csr"),
                CommonName = body.CommonName,
                Constraints = new CaConstraints { Ttl = Durations.Parse(body.Ttl, "ttl"), MaxPathLength = body.MaxPathLength, PermittedDnsDomains = body.PermittedDnsDomains },
            };
            var signed = await issuers.SignIntermediateAsync(issuerRef, request, http.User.Actor(), ct);
            return Results.Ok(new
            {
                serial_number = signed.Serial,
                certificate = Pem.Encode("CERTIFICATE", signed.CertificateDer),
                issuing_ca = Pem.Encode("CERTIFICATE", signed.Chain[0]),
                ca_chain = signed.Chain.Select(c => Pem.Encode("CERTIFICATE", c)).ToList(),
            });
        }).RequirePersona(Persona.Operator);

        RouteHandlerBuilder MapImport(string path) =>
            api.MapPost(path, async (ImportIssuersBody body, IssuerService issuers, HttpContext http, CancellationToken ct) =>
            {
                var result = await issuers.ImportAsync(body.PemBundle, body.Name, http.User.Actor(), ct);
                return Results.Ok(new
                {
                    imported_issuers = result.Imported.Select(i => new { issuer_id = i.Id, issuer_name = i.Name, key_id = i.KeyId }).ToList(),
                    existing_issuers = result.AlreadyPresent.Select(i => new { issuer_id = i.Id, issuer_name = i.Name, key_id = i.KeyId }).ToList(),
                });
            }).RequirePersona(Persona.Operator);
        MapImport("/issuers/import");
        MapImport("/intermediate/set-signed");

        api.MapPatch("/issuers/{issuerRef}", async (string issuerRef, UpdateIssuerBody body, IssuerService issuers, IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
        {
            var update = new IssuerUpdate
            {
                Name = body.IssuerName,
                LeafNotAfterBehavior = body.LeafNotAfterBehavior is null ? null : IssuerContractMapping.ParseBehavior(body.LeafNotAfterBehavior),
                Usage = body.Usage is null ? null : IssuerContractMapping.ParseUsage(body.Usage),
                ManualChain = body.ManualChain,
            };
            if (body.IssuingCertificates is not null || body.CrlDistributionPoints is not null || body.OcspServers is not null)
            {
                var current = (await catalog.GetAsync(ct)).Resolve(issuerRef).Issuer.Urls;
                update = update with
                {
                    Urls = new IssuerUrls
                    {
                        IssuingCertificates = body.IssuingCertificates ?? current.IssuingCertificates,
                        CrlDistributionPoints = body.CrlDistributionPoints ?? current.CrlDistributionPoints,
                        OcspServers = body.OcspServers ?? current.OcspServers,
                    },
                };
            }

            var updated = await issuers.UpdateAsync(issuerRef, update, http.User.Actor(), ct);
            var snapshot = await catalog.GetAsync(ct);
            return Results.Ok(IssuerContractMapping.ToView(snapshot.Resolve(updated.Id), snapshot));
        }).RequirePersona(Persona.Operator);

        api.MapDelete("/issuers/{issuerRef}", async (string issuerRef, IssuerService issuers, HttpContext http, CancellationToken ct) =>
        {
            await issuers.DeleteAsync(issuerRef, http.User.Actor(), ct);
            return Results.NoContent();
        }).RequirePersona(Persona.Operator);

        api.MapGet("/config/issuers", async (IssuerCatalog catalog, CancellationToken ct) =>
            Results.Ok(new { @default = (await catalog.GetAsync(ct)).DefaultId })).RequirePersona(Persona.Agent);

        api.MapPut("/config/issuers", async (DefaultIssuerBody body, IssuerService issuers, IssuerCatalog catalog, HttpContext http, CancellationToken ct) =>
        {
            await issuers.SetDefaultAsync(body.Default, http.User.Actor(), ct);
            return Results.Ok(new { @default = (await catalog.GetAsync(ct)).DefaultId });
        }).RequirePersona(Persona.Operator);
    }
}
