using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Revocation;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// revokeCert (RFC 8555 7.6). Authorized when signed (<c>kid</c>) by the account that ordered the certificate, or by
/// an account holding valid authorizations for every identifier in it, or (<c>jwk</c>) by the certificate's own key.
/// The core checks that one of this server's issuers signed it and records the revocation before the 200.
/// </summary>
public sealed class RevokeCertEndpoint
{
    private const string NotYours = "this request's key is not authorized to revoke this certificate";

    private readonly IAcmeCertificateStore _certificates;
    private readonly IAuthorizationStore _authorizations;
    private readonly ICertificateRevoker _revoker;
    private readonly TimeProvider _time;

    public RevokeCertEndpoint(IAcmeCertificateStore certificates, IAuthorizationStore authorizations, ICertificateRevoker revoker, TimeProvider time)
    {
        _certificates = certificates;
        _authorizations = authorizations;
        _revoker = revoker;
        _time = time;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.AcmeRequest();
        var payload = request.Payload();
        var der = CertificateDer(payload);
        var reason = Reason(payload);
        using var certificate = Parse(der);

        var actor = request.Account is { } account
            ? await AuthorizeAccountAsync(account, der, certificate, http.RequestAborted)
            : AuthorizeCertificateKey(request, certificate);

        await _revoker.RevokeCertificateAsync(der, reason, actor, http.RequestAborted);
        return AcmeResult.Empty(StatusCodes.Status200OK);
    }

    private static byte[] CertificateDer(JsonElement payload)
    {
        if (!payload.TryGetProperty("certificate", out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw AcmeException.Malformed("\"certificate\" (the certificate in base64url DER) is required");
        }

        return Base64UrlText.TryDecode(value.GetString(), out var der) && der.Length > 0
            ? der
            : throw AcmeException.Malformed("\"certificate\" is not base64url");
    }

    private static RevocationReason Reason(JsonElement payload)
    {
        if (!payload.TryGetProperty("reason", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return RevocationReason.Unspecified;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var code))
        {
            throw new AcmeException(AcmeErrorType.BadRevocationReason, "\"reason\" must be an RFC 5280 CRLReason code (an integer)");
        }

        try
        {
            return RevocationReasons.FromCode(code);
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.Malformed)
        {
            throw new AcmeException(AcmeErrorType.BadRevocationReason, e.Message);
        }
    }

    private static X509Certificate2 Parse(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw AcmeException.Malformed("\"certificate\" is not a DER X.509 certificate");
        }
    }

    /// <summary>The owner of the order it was issued for, or an account with valid authorizations for all its identifiers.</summary>
    private async Task<string> AuthorizeAccountAsync(AcmeAccount account, byte[] der, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var actor = AcmeAudit.Actor(account);
        var issued = await _certificates.FindBySerialAsync(SerialNumbers.ToHex(certificate.SerialNumberBytes.Span), cancellationToken);
        if (issued is not null && issued.AccountId == account.Id && IsLeafOf(issued, der))
        {
            return actor;
        }

        var identifiers = Identifiers(certificate);
        if (identifiers.Count == 0)
        {
            throw AcmeException.Unauthorized(NotYours);
        }

        var now = _time.GetUtcNow();
        foreach (var identifier in identifiers)
        {
            var held = await _authorizations.FindReusableAsync(account.Id, identifier.WithoutWildcard(), identifier.IsWildcard, now, cancellationToken);
            if (held is null)
            {
                throw AcmeException.Unauthorized(NotYours);
            }
        }

        return actor + ":authorizations";
    }

    /// <summary>A <c>jwk</c> request: the key that signed must be the certificate's public key.</summary>
    private static string AuthorizeCertificateKey(AcmeRequest request, X509Certificate2 certificate)
    {
        var certificateKey = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        if (!CryptographicOperations.FixedTimeEquals(request.Key.SubjectPublicKeyInfo(), certificateKey))
        {
            throw AcmeException.Unauthorized(NotYours);
        }

        return $"acme:{request.Directory.Name}:certificate-key:{request.Key.Thumbprint}";
    }

    private static bool IsLeafOf(AcmeCertificate issued, byte[] der)
    {
        if (issued.Chains.Count == 0)
        {
            return false;
        }

        using var leaf = X509Certificate2.CreateFromPem(issued.Chains[0]);
        return leaf.RawData.AsSpan().SequenceEqual(der);
    }

    private static List<AcmeIdentifier> Identifiers(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions["2.5.29.17"];
        if (extension is null)
        {
            return [];
        }

        try
        {
            var names = new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
            return names.EnumerateDnsNames().Select(n => new AcmeIdentifier(AcmeIdentifier.Dns, n.ToLowerInvariant()))
                .Concat(names.EnumerateIPAddresses().Select(a => new AcmeIdentifier(AcmeIdentifier.Ip, a.ToString())))
                .ToList();
        }
        catch (CryptographicException)
        {
            throw AcmeException.Malformed("the certificate's subjectAltName extension cannot be read");
        }
    }
}
