using System.Globalization;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Core.X509;
using PkiProtocolServer.Est.Authentication;
using PkiProtocolServer.Est.ChannelBinding;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Errors;
using PkiProtocolServer.Est.Wire;

namespace PkiProtocolServer.Est.Endpoints;

/// <summary>
/// <c>POST /simpleenroll</c>, <c>/simplereenroll</c> (RFC 7030 4.2) and <c>/serverkeygen</c> (4.4): authenticate, read
/// the base64 CSR, enroll, and answer 200 with the certificate (and key), or 202 with Retry-After while an operator
/// decides (4.2.3).
/// </summary>
public static class EnrollEndpoint
{
    public static async Task Handle(HttpContext context, string? label, EstOperation operation)
    {
        var resolved = EstRequests.Label(context, label);
        if (operation == EstOperation.ServerKeyGen && !resolved.ServerKeyGeneration)
        {
            throw EstException.NotImplemented($"EST label {resolved.DisplayName} does not offer serverkeygen");
        }

        var services = context.RequestServices;
        // Credentials first: an unauthenticated caller learns nothing about what is wrong with its CSR.
        var caller = await services.GetRequiredService<EstAuthenticator>().AuthenticateAsync(context, resolved, context.RequestAborted);
        var csr = await EstRequests.ReadCsrAsync(context);
        ChannelBindingValue? binding = null;
        string? unavailable = null;
        if (resolved.RequireChannelBinding)
        {
            binding = services.GetRequiredService<TlsChannelBindings>().Read(context, out unavailable);
        }

        var outcome = await services.GetRequiredService<EstEnrollmentService>()
            .EnrollAsync(new EstEnrollmentRequest(caller, operation, csr, binding, unavailable), context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        switch (outcome)
        {
            case EnrollmentOutcome.Pending pending:
                context.Response.StatusCode = StatusCodes.Status202Accepted;
                context.Response.Headers.RetryAfter = ((int)pending.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(
                    $"enrollment {pending.Enrollment.Id} is waiting for an operator's approval; send the same request again after {(int)pending.RetryAfter.TotalSeconds} seconds\n",
                    context.RequestAborted);
                break;
            case EnrollmentOutcome.Issued issued when operation == EstOperation.ServerKeyGen:
                await WriteKeyAndCertificateAsync(context, issued);
                break;
            case EnrollmentOutcome.Issued issued:
                // RFC 7030 4.2.3: certs-only holding only the issued certificate (the chain is /cacerts).
                await EstRequests.WriteBase64Async(context, EstMediaTypes.CertsOnly, CertsOnly.Encode([issued.Result.Certificate.CertificateDer]));
                break;
        }
    }

    private static async Task WriteKeyAndCertificateAsync(HttpContext context, EnrollmentOutcome.Issued issued)
    {
        var pkcs8 = Pem.ReadAll(issued.Result.PrivateKeyPem!).Single(b => b.Label == "PRIVATE KEY").Der;
        try
        {
            var (contentType, body) = ServerKeyGenResponse.Build(pkcs8, CertsOnly.Encode([issued.Result.Certificate.CertificateDer]));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
