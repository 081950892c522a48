using System.Security.Cryptography;
using System.Text.Json;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Acme.Services;

/// <summary>
/// Checks an <c>externalAccountBinding</c> (RFC 8555 7.3.4): a flattened JWS MACed with an EAB key, whose protected
/// header has the key's <c>kid</c> and the newAccount <c>url</c> and no nonce, and whose payload is the account key.
/// The MAC is compared in constant time. Returns the EAB key id to bind.
/// </summary>
public sealed class ExternalAccountBindingVerifier
{
    private readonly IExternalAccountKeyStore _keys;
    private readonly TimeProvider _time;

    public ExternalAccountBindingVerifier(IExternalAccountKeyStore keys, TimeProvider time)
    {
        _keys = keys;
        _time = time;
    }

    public async Task<string> VerifyAsync(JsonElement binding, JsonWebKey accountKey, string requestUrl, AcmeDirectory directory, CancellationToken cancellationToken)
    {
        const string What = "the externalAccountBinding";
        var jws = FlattenedJws.Parse(binding, What);
        var header = jws.Header;
        if (!JwsAlgorithms.Mac.Contains(header.Alg, StringComparer.Ordinal))
        {
            throw AcmeException.Malformed($"{What} must be MACed with {string.Join(", ", JwsAlgorithms.Mac)}, not '{header.Alg}' (RFC 8555 7.3.4)");
        }

        if (header.Nonce is not null)
        {
            throw AcmeException.Malformed($"{What} must not have a nonce (RFC 8555 7.3.4)");
        }

        if (header.Jwk is not null || string.IsNullOrEmpty(header.Kid))
        {
            throw AcmeException.Malformed($"{What} must name its key with \"kid\" (the EAB key id)");
        }

        if (!string.Equals(header.Url, requestUrl, StringComparison.Ordinal))
        {
            throw AcmeException.Unauthorized($"the \"url\" of {What} must be the newAccount URL '{requestUrl}'");
        }

        var boundKey = JsonWebKey.Parse(FlattenedJws.ParseObject(jws.Payload, $"the payload of {What}"));
        if (!string.Equals(boundKey.Thumbprint, accountKey.Thumbprint, StringComparison.Ordinal))
        {
            throw AcmeException.Unauthorized($"the payload of {What} is not the key of the account being created");
        }

        var key = await _keys.GetAsync(header.Kid, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (key is null || key.Directory != directory.Name || key.ExpiresAt <= now)
        {
            throw AcmeException.Unauthorized($"the external account key '{header.Kid}' does not exist for this directory or has expired");
        }

        var hash = header.Alg switch
        {
            "HS384" => HashAlgorithmName.SHA384,
            "HS512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        var expected = CryptographicOperations.HmacData(hash, key.HmacKey, jws.SigningInput);
        if (!CryptographicOperations.FixedTimeEquals(expected, jws.Signature))
        {
            throw AcmeException.Unauthorized($"the MAC of {What} does not verify with the external account key '{header.Kid}'");
        }

        if (key.BoundAccountId is not null)
        {
            throw AcmeException.Unauthorized($"the external account key '{header.Kid}' has bound an account already; each key binds one account");
        }

        return key.Id;
    }
}
