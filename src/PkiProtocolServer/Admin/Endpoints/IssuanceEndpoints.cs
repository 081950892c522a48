using PkiProtocolServer.Admin.Auth;
using PkiProtocolServer.Admin.Contracts;
using PkiProtocolServer.Core.Issuance;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Admin.Endpoints;

/// <summary>
/// Issuance: <c>sign</c> certifies a CSR, <c>issue</c> generates the key too. Requesters use the role's
/// issuer; choosing another issuer in the path takes the advanced persona.
/// </summary>
public static class IssuanceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/sign/{role}", (string role, SignBody body, IssuanceService issuance, HttpContext http, CancellationToken ct) =>
            Sign(role, null, body, issuance, http, ct)).RequirePersona(Persona.Requester);
        api.MapPost("/issuers/{issuerRef}/sign/{role}", (string issuerRef, string role, SignBody body, IssuanceService issuance, HttpContext http, CancellationToken ct) =>
            Sign(role, issuerRef, body, issuance, http, ct)).RequirePersona(Persona.Advanced);

        api.MapPost("/issue/{role}", (string role, IssueBody body, IssuanceService issuance, HttpContext http, CancellationToken ct) =>
            Issue(role, null, body, issuance, http, ct)).RequirePersona(Persona.Requester);
        api.MapPost("/issuers/{issuerRef}/issue/{role}", (string issuerRef, string role, IssueBody body, IssuanceService issuance, HttpContext http, CancellationToken ct) =>
            Issue(role, issuerRef, body, issuance, http, ct)).RequirePersona(Persona.Advanced);
    }

    private static async Task<IResult> Sign(string role, string? issuerRef, SignBody body, IssuanceService issuance, HttpContext http, CancellationToken ct)
    {
        var csr = CertificationRequest.Parse(System.Text.Encoding.ASCII.GetBytes(body.Csr));
        var request = new LeafRequest
        {
            Role = role,
            SubjectPublicKeyInfo = csr.SubjectPublicKeyInfo,
            KeySpec = csr.KeySpec,
            CommonName = csr.CommonName,
            Names = csr.Names,
            Ttl = body.Ttl is null ? null : Core.Durations.Parse(body.Ttl, "ttl"),
            IssuerRef = issuerRef,
            Actor = http.User.Actor(),
        };
        return Results.Ok(CertificateView.From(await issuance.IssueAsync(request, ct)));
    }

    private static async Task<IResult> Issue(string role, string? issuerRef, IssueBody body, IssuanceService issuance, HttpContext http, CancellationToken ct)
    {
        var keySpec = KeySpec.Parse(body.KeyType, body.KeyBits);
        var request = new LeafRequest
        {
            Role = role,
            SubjectPublicKeyInfo = [],
            KeySpec = keySpec,
            CommonName = string.IsNullOrEmpty(body.CommonName) ? null : body.CommonName,
            Names = body.Names(),
            Ttl = body.ParsedTtl(),
            IssuerRef = issuerRef,
            Actor = http.User.Actor(),
        };
        return Results.Ok(CertificateView.From(await issuance.IssueWithGeneratedKeyAsync(request, keySpec, ct), keySpec.TypeName));
    }
}
