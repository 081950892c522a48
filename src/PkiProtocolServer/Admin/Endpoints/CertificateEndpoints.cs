using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;
using PkiProtocolServer.Core.Certificates;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>Issued certificates: anyone may read one by serial (as in Vault); listing takes a token.</summary>
public static class CertificateEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/certs", async (string? after, int? limit, ICertificateStore store, CancellationToken ct) =>
        {
            var size = Math.Clamp(limit ?? 100, 1, 1000);
            var from = after is null ? null : SerialNumbers.Normalize(after) ?? throw PkiException.Malformed($"after '{after}' is not a hexadecimal serial number");
            var page = await store.ListAsync(from, size, ct);
            return Results.Ok(new CertificateListView(
                page.Select(c => new CertificateSummary(c.Serial, c.IssuerId, c.Role, c.CommonName, c.NotAfter)).ToList(),
                page.Count == size ? page[^1].Serial : null));
        }).RequirePersona(Persona.Requester);

        api.MapGet("/certs/{serial}", async (string serial, ICertificateStore store, CancellationToken ct) =>
            Results.Ok(CertificateView.From(await Find(serial, store, ct)))).AllowAnonymous();

        api.MapGet("/certs/{serial}/pem", async (string serial, ICertificateStore store, CancellationToken ct) =>
            Results.Text(Pem.Encode("CERTIFICATE", (await Find(serial, store, ct)).CertificateDer), "application/x-pem-file")).AllowAnonymous();

        api.MapGet("/certs/{serial}/der", async (string serial, ICertificateStore store, CancellationToken ct) =>
            Results.Bytes((await Find(serial, store, ct)).CertificateDer, "application/pkix-cert")).AllowAnonymous();
    }

    private static async Task<IssuedCertificate> Find(string serial, ICertificateStore store, CancellationToken ct)
    {
        var normalized = SerialNumbers.Normalize(serial) ?? throw PkiException.Malformed($"'{serial}' is not a hexadecimal serial number");
        return await store.GetAsync(normalized, ct) ?? throw PkiException.NotFound($"no certificate with serial {normalized} was issued and stored here");
    }
}
