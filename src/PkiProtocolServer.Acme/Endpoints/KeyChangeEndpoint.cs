using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Http;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Resources;
using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Acme.Endpoints;

/// <summary>
/// keyChange (RFC 8555 7.3.5): the outer JWS is signed by the account's current key; its payload is an inner JWS
/// signed by the new key, with the same <c>url</c>, no nonce, and a payload naming the account and its old key.
/// A new key already held by another account is a 409 naming that account in <c>Location</c>.
/// </summary>
public sealed class KeyChangeEndpoint
{
    private readonly IAccountStore _accounts;
    private readonly AcmeAudit _audit;

    public KeyChangeEndpoint(IAccountStore accounts, AcmeAudit audit)
    {
        _accounts = accounts;
        _audit = audit;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        const string What = "the inner keyChange JWS";
        var request = http.AcmeRequest();
        var account = request.RequireAccount();
        var inner = FlattenedJws.Parse(request.Payload(), What);
        var header = inner.Header;
        if (!JwsAlgorithms.Supported.Contains(header.Alg, StringComparer.Ordinal))
        {
            throw new AcmeException(AcmeErrorType.BadSignatureAlgorithm, $"{What} uses algorithm '{header.Alg}'; use one of {string.Join(", ", JwsAlgorithms.Supported)}");
        }

        if (header.Jwk is null || header.Kid is not null)
        {
            throw AcmeException.Malformed($"{What} must carry the new key as \"jwk\" and no \"kid\"");
        }

        if (header.Nonce is not null)
        {
            throw AcmeException.Malformed($"{What} must not have a nonce (RFC 8555 7.3.5)");
        }

        if (!string.Equals(header.Url, request.Url, StringComparison.Ordinal))
        {
            throw AcmeException.Unauthorized($"the \"url\" of {What} must equal the outer one, '{request.Url}'");
        }

        var newKey = header.Jwk;
        if (!newKey.Accepts(header.Alg) || !newKey.Verify(header.Alg, inner.SigningInput, inner.Signature))
        {
            throw AcmeException.Malformed($"{What} is not signed by the new key it carries");
        }

        var payload = FlattenedJws.ParseObject(inner.Payload, $"the payload of {What}");
        if (!payload.TryGetProperty("account", out var accountUrl) || accountUrl.ValueKind != JsonValueKind.String
            || accountUrl.GetString() != request.Urls.Account(account.Id))
        {
            throw AcmeException.Unauthorized($"\"account\" in {What} must be the URL of the account that signed the outer JWS");
        }

        if (!payload.TryGetProperty("oldKey", out var oldKeyJson) || JsonWebKey.Parse(oldKeyJson).Thumbprint != account.KeyThumbprint)
        {
            throw AcmeException.Unauthorized($"\"oldKey\" in {What} is not the account's current key");
        }

        if (newKey.Thumbprint == account.KeyThumbprint)
        {
            throw AcmeException.Malformed("the new key is the account's current key");
        }

        var holder = await _accounts.FindByKeyAsync(account.Directory, newKey.Thumbprint, http.RequestAborted);
        if (holder is not null)
        {
            throw KeyInUse(request, holder.Id);
        }

        AcmeAccount? stored;
        try
        {
            stored = await _accounts.TryUpdateAsync(account.WithKey(newKey.CanonicalJson, newKey.Thumbprint), http.RequestAborted);
        }
        catch (PkiException e) when (e.Kind == PkiErrorKind.Conflict)
        {
            holder = await _accounts.FindByKeyAsync(account.Directory, newKey.Thumbprint, http.RequestAborted);
            throw KeyInUse(request, holder?.Id);
        }

        if (stored is null)
        {
            throw AcmeException.Unauthorized("the account changed during the key change; retry");
        }

        await _audit.AccountAsync(stored, "key_change", $"key {account.KeyThumbprint} -> {stored.KeyThumbprint}");
        return AcmeResult.Json(AccountResource.From(stored, request.Urls)).WithLocation(request.Urls.Account(stored.Id));
    }

    private static AcmeException KeyInUse(AcmeRequest request, string? holderId) =>
        new(AcmeErrorType.Malformed, "the new key is already the key of an account", StatusCodes.Status409Conflict)
        {
            Location = holderId is null ? null : request.Urls.Account(holderId),
        };
}
