using System.Text.Json;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Http;

/// <summary>
/// A POST that passed every check of RFC 8555 6 (signature, key mode, url, nonce, account): what an endpoint works
/// with. Endpoints never see an unverified request.
/// </summary>
public sealed class AcmeRequest
{
    public AcmeRequest(AcmeDirectory directory, AcmeUrls urls, string url, FlattenedJws jws, JsonWebKey key, AcmeAccount? account)
    {
        Directory = directory;
        Urls = urls;
        Url = url;
        Jws = jws;
        Key = key;
        Account = account;
    }

    public AcmeDirectory Directory { get; }

    public AcmeUrls Urls { get; }

    /// <summary>The request URL, equal to the JWS <c>url</c>.</summary>
    public string Url { get; }

    public FlattenedJws Jws { get; }

    /// <summary>The key that signed: the account's key for <c>kid</c>, the embedded <c>jwk</c> otherwise.</summary>
    public JsonWebKey Key { get; }

    /// <summary>The account named by <c>kid</c> (valid); null for <c>jwk</c> requests.</summary>
    public AcmeAccount? Account { get; }

    /// <summary>RFC 8555 6.3: an empty payload is a POST-as-GET.</summary>
    public bool IsPostAsGet => Jws.PayloadText.Length == 0;

    public AcmeAccount RequireAccount() =>
        Account ?? throw new InvalidOperationException("this endpoint must be declared RequireKid()");

    /// <summary>The payload as a JSON object (malformed when it is not one).</summary>
    public JsonElement Payload() =>
        IsPostAsGet
            ? throw AcmeException.Malformed("this request needs a JSON payload, not an empty POST-as-GET payload")
            : FlattenedJws.ParseObject(Jws.Payload, "the JWS payload");
}
