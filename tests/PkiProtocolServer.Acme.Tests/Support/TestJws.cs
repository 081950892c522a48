using System.Text;

namespace PkiProtocolServer.Acme.Tests.Support;

/// <summary>Builds flattened JWS objects the way ACME clients do (RFC 8555 6.2), and lets tests break them.</summary>
public static class TestJws
{
    /// <summary>A flattened JWS; <paramref name="payload"/> null = POST-as-GET (empty payload).</summary>
    public static JsonObject Sign(TestKey key, JsonObject header, JsonNode? payload, Func<byte[], byte[]>? tamperSignature = null)
    {
        var protectedText = TestKey.B64(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadText = payload is null ? string.Empty : TestKey.B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = key.Sign(Encoding.ASCII.GetBytes(protectedText + "." + payloadText));
        if (tamperSignature is not null)
        {
            signature = tamperSignature(signature);
        }

        return new JsonObject { ["protected"] = protectedText, ["payload"] = payloadText, ["signature"] = TestKey.B64(signature) };
    }

    /// <summary>The protected header of an ACME request: alg, nonce, url, and kid or jwk.</summary>
    public static JsonObject Header(TestKey key, string url, string? nonce, string? kid)
    {
        var header = new JsonObject { ["alg"] = key.Alg, ["url"] = url };
        if (nonce is not null)
        {
            header["nonce"] = nonce;
        }

        if (kid is not null)
        {
            header["kid"] = kid;
        }
        else
        {
            header["jwk"] = key.Jwk();
        }

        return header;
    }

    /// <summary>An External Account Binding (RFC 8555 7.3.4): HS256 over the account JWK with the EAB key.</summary>
    public static JsonObject ExternalAccountBinding(string eabKeyId, byte[] hmacKey, TestKey accountKey, string newAccountUrl, string alg = "HS256")
    {
        var header = new JsonObject { ["alg"] = alg, ["kid"] = eabKeyId, ["url"] = newAccountUrl };
        var protectedText = TestKey.B64(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadText = TestKey.B64(Encoding.UTF8.GetBytes(accountKey.Jwk().ToJsonString()));
        var mac = System.Security.Cryptography.HMACSHA256.HashData(hmacKey, Encoding.ASCII.GetBytes(protectedText + "." + payloadText));
        return new JsonObject { ["protected"] = protectedText, ["payload"] = payloadText, ["signature"] = TestKey.B64(mac) };
    }
}
