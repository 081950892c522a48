using System.Security.Cryptography;
using System.Text;
using PkiProtocolServer.Acme.Jws;

namespace PkiProtocolServer.Acme.Validation;

/// <summary>Key authorizations (RFC 8555 8.1) and the digests dns-01 and tls-alpn-01 carry.</summary>
public static class KeyAuthorizations
{
    /// <summary><c>token || '.' || base64url(JWK thumbprint)</c>.</summary>
    public static string For(string token, string accountKeyThumbprint) => token + "." + accountKeyThumbprint;

    /// <summary>SHA-256 of the key authorization (dns-01 TXT value before base64url, tls-alpn-01 acmeIdentifier value).</summary>
    public static byte[] Digest(string keyAuthorization) => SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization));

    /// <summary>RFC 8555 8.4: the TXT record value, base64url of the digest.</summary>
    public static string DnsTxtValue(string keyAuthorization) => Base64UrlText.Encode(Digest(keyAuthorization));
}
