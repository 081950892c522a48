using Microsoft.AspNetCore.Http;

namespace PkiProtocolServer.Acme.Http;

/// <summary>
/// Absolute URLs of one directory's resources, on the origin the client used (so the <c>url</c> a client signs and the
/// URLs the server hands out agree, RFC 8555 6.4).
/// </summary>
public sealed class AcmeUrls
{
    public AcmeUrls(string origin, string directory)
    {
        Origin = origin.TrimEnd('/');
        DirectoryName = directory;
        Base = Origin + AcmePaths.Base(directory);
    }

    /// <summary><c>https://host:port</c>.</summary>
    public string Origin { get; }

    /// <summary>Name of the ACME directory these URLs belong to.</summary>
    public string DirectoryName { get; }

    /// <summary>The directory's resource prefix, absolute.</summary>
    public string Base { get; }

    public static AcmeUrls For(HttpContext context, string directory) =>
        new($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}", directory);

    /// <summary>The URL of the current request, as the client must have put it in the JWS <c>url</c> header.</summary>
    public static string RequestUrl(HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";

    public string Directory => Base + AcmePaths.Directory;
    public string NewNonce => Base + AcmePaths.NewNonce;
    public string NewAccount => Base + AcmePaths.NewAccount;
    public string NewOrder => Base + AcmePaths.NewOrder;
    public string NewAuthz => Base + AcmePaths.NewAuthz;
    public string RevokeCert => Base + AcmePaths.RevokeCert;
    public string KeyChange => Base + AcmePaths.KeyChange;
    public string RenewalInfo => Base + AcmePaths.RenewalInfoBase;

    /// <summary>Account URLs are the <c>kid</c> of every later request (RFC 8555 6.2).</summary>
    public string AccountPrefix => Base + "/account/";

    public string Account(string id) => AccountPrefix + id;
    public string AccountOrders(string id) => Account(id) + "/orders";
    public string Order(string id) => Base + "/order/" + id;
    public string Finalize(string id) => Order(id) + "/finalize";
    public string Authorization(string id) => Base + "/authz/" + id;
    public string Challenge(string authorizationId, string id) => Base + "/chall/" + authorizationId + "/" + id;
    public string Certificate(string id) => Base + "/cert/" + id;
    public string CertificateAlternate(string id, int index) => Certificate(id) + "/" + index;

    /// <summary>The issuer certificate (served by the host's public CA endpoints), the <c>up</c> link of a certificate.</summary>
    public string IssuerCertificate(string issuerId) => Origin + "/issuers/" + issuerId + ".pem";
}
