using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Http;

/// <summary>
/// The checks every ACME POST passes, in one place (RFC 8555 6.2 - 6.5), independent of HTTP so they can be tested
/// alone: flattened JWS, an accepted algorithm, exactly one of jwk/kid as the endpoint requires, an existing valid
/// account for kid, a signature that verifies, <c>url</c> equal to the request URL, a nonce redeemed once, and the
/// payload shape the endpoint takes.
/// </summary>
public sealed class AcmeRequestVerifier
{
    private readonly NonceService _nonces;
    private readonly IAccountStore _accounts;

    public AcmeRequestVerifier(NonceService nonces, IAccountStore accounts)
    {
        _nonces = nonces;
        _accounts = accounts;
    }

    public async Task<AcmeRequest> VerifyAsync(ReadOnlyMemory<byte> body, string requestUrl, AcmeDirectory directory, AcmeUrls urls, AcmeEndpointMetadata endpoint, CancellationToken cancellationToken)
    {
        var jws = FlattenedJws.Parse(body.Span);
        var header = jws.Header;

        // 6.2: the algorithm must be one the server supports; "none" and MACs never are for requests.
        if (!JwsAlgorithms.Supported.Contains(header.Alg, StringComparer.Ordinal))
        {
            throw new AcmeException(AcmeErrorType.BadSignatureAlgorithm, $"JWS algorithm '{header.Alg}' is not accepted; use one of {string.Join(", ", JwsAlgorithms.Supported)}");
        }

        // 6.2: exactly one of "jwk" and "kid"; which one depends on the resource.
        if (header.Jwk is not null && header.Kid is not null)
        {
            throw AcmeException.Malformed("the protected header has both \"jwk\" and \"kid\"; send exactly one (RFC 8555 6.2)");
        }

        if (header.Jwk is null && header.Kid is null)
        {
            throw AcmeException.Malformed("the protected header has neither \"jwk\" nor \"kid\"; send exactly one (RFC 8555 6.2)");
        }

        if (endpoint.KeyMode == AcmeKeyMode.Kid && header.Kid is null)
        {
            throw AcmeException.Malformed("this resource takes requests signed by an account: name it with \"kid\", not \"jwk\"");
        }

        if (endpoint.KeyMode == AcmeKeyMode.Jwk && header.Jwk is null)
        {
            throw AcmeException.Malformed("this resource takes requests with the key embedded as \"jwk\", not \"kid\"");
        }

        if (header.Url is null)
        {
            throw AcmeException.Malformed("the protected header has no \"url\" (RFC 8555 6.4)");
        }

        // 6.5: a nonce this server issued, used once. For a kid request its redemption (a store round trip) runs
        // while the account is read (another one), so the request waits for one round trip, not two; its outcome is
        // still reported only after the checks below, so their errors keep precedence, and no request proceeds before
        // the redemption has answered true. A request refused by those checks has then spent its nonce, which costs
        // the client nothing: every error response carries a fresh one. A jwk request reads no account, so it redeems
        // its nonce last, and a request refused before that does not spend it.
        var redemption = header.Kid is not null && !string.IsNullOrEmpty(header.Nonce) ? _nonces.TryRedeemAsync(header.Nonce, cancellationToken) : null;
        AcmeAccount? account;
        JsonWebKey key;
        try
        {
            (account, key) = await AuthenticateAsync(jws, header, requestUrl, directory, urls, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (redemption is not null)
        {
            await ObserveAsync(redemption).ConfigureAwait(false);
            throw;
        }

        if (string.IsNullOrEmpty(header.Nonce))
        {
            throw new AcmeException(AcmeErrorType.BadNonce, "the protected header has no \"nonce\"; get one from newNonce or the Replay-Nonce header of any response");
        }

        if (!await (redemption ?? _nonces.TryRedeemAsync(header.Nonce, cancellationToken)).ConfigureAwait(false))
        {
            throw new AcmeException(AcmeErrorType.BadNonce, "the nonce is unknown, expired or used already; retry with the Replay-Nonce of this response");
        }

        var request = new AcmeRequest(directory, urls, requestUrl, jws, key, account);
        if (request.IsPostAsGet && !endpoint.PostAsGet)
        {
            throw AcmeException.Malformed("this resource does not take POST-as-GET: send a JSON payload");
        }

        if (!request.IsPostAsGet && !endpoint.PayloadRequired)
        {
            throw AcmeException.Malformed("this resource is read with POST-as-GET: the payload must be empty (RFC 8555 6.3)");
        }

        return request;
    }

    /// <summary>The account of a kid request (null for jwk) and the key that must have signed; the signature and url checked.</summary>
    private async Task<(AcmeAccount? Account, JsonWebKey Key)> AuthenticateAsync(FlattenedJws jws, JwsHeader header, string requestUrl, AcmeDirectory directory, AcmeUrls urls, CancellationToken cancellationToken)
    {
        AcmeAccount? account = null;
        JsonWebKey key;
        if (header.Kid is not null)
        {
            account = await FindAccountAsync(header.Kid, directory, urls, cancellationToken).ConfigureAwait(false);
            key = JsonWebKey.FromCanonicalJson(account.Jwk);
        }
        else
        {
            key = header.Jwk!;
        }

        if (!key.Accepts(header.Alg))
        {
            throw new AcmeException(AcmeErrorType.BadSignatureAlgorithm, $"JWS algorithm '{header.Alg}' does not match the {key.KeyType}{(key.Curve is null ? string.Empty : " " + key.Curve)} key that signed");
        }

        if (!key.Verify(header.Alg, jws.SigningInput, jws.Signature))
        {
            throw AcmeException.Malformed("the JWS signature does not verify");
        }

        // 6.4: the url a client signed must be the URL it sent the request to.
        if (!string.Equals(header.Url, requestUrl, StringComparison.Ordinal))
        {
            throw AcmeException.Unauthorized($"the JWS \"url\" '{header.Url}' is not the request URL '{requestUrl}' (RFC 8555 6.4)");
        }

        return (account, key);
    }

    /// <summary>Waits for a redemption whose outcome no longer matters (the request fails anyway), so none is left running unobserved.</summary>
    private static async Task ObserveAsync(Task<bool> redemption)
    {
        try
        {
            await redemption.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the request already fails with the error being thrown; a failing store must not replace it
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<AcmeAccount> FindAccountAsync(string kid, AcmeDirectory directory, AcmeUrls urls, CancellationToken cancellationToken)
    {
        var id = kid.StartsWith(urls.AccountPrefix, StringComparison.Ordinal) ? kid[urls.AccountPrefix.Length..] : null;
        if (string.IsNullOrEmpty(id) || id.Contains('/', StringComparison.Ordinal))
        {
            throw new AcmeException(AcmeErrorType.AccountDoesNotExist, $"\"kid\" must be an account URL of this directory ({urls.AccountPrefix}...)");
        }

        var account = await _accounts.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (account is null || account.Directory != directory.Name)
        {
            throw new AcmeException(AcmeErrorType.AccountDoesNotExist, "no account exists at the \"kid\" URL");
        }

        // 7.3.6: requests of a deactivated account are unauthorized.
        if (account.Status != AccountStatus.Valid)
        {
            throw AcmeException.Unauthorized($"the account is {StatusNames.Wire(account.Status)}");
        }

        return account;
    }
}
