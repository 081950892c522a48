using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PkiProtocolServer.LoadGenerator.Acme;

/// <summary>
/// An ACME account key (P-256) and what a client derives from it: the JWK for the <c>jwk</c> header (RFC 7517), its
/// RFC 7638 thumbprint for key authorizations (RFC 8555 8.1), and ES256 signatures in JWS form (r||s, RFC 7518 3.4,
/// which is .NET's default IEEE P1363 format for <see cref="ECDsa.SignData(byte[], HashAlgorithmName)"/>).
/// </summary>
public sealed class AccountKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public AccountKey()
    {
        var p = _key.ExportParameters(false);
        var x = Base64Url(p.Q.X!);
        var y = Base64Url(p.Q.Y!);
        // RFC 7638 3.2: the required members in lexicographic order, no whitespace; the same text serves as the jwk.
        Jwk = $$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""";
        Thumbprint = Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(Jwk)));
    }

    /// <summary>The public key as canonical JWK JSON.</summary>
    public string Jwk { get; }

    public string Thumbprint { get; }

    /// <summary>The account URL once the account exists; requests are then signed with <c>kid</c>.</summary>
    public string? Kid { get; set; }

    /// <summary>A flattened JWS (RFC 7515 7.2.2) over <paramref name="payload"/> (null: POST-as-GET, an empty payload).</summary>
    public byte[] Sign(string url, string nonce, string? payload)
    {
        var header = Kid is null
            ? $$"""{"alg":"ES256","jwk":{{Jwk}},"nonce":{{JsonSerializer.Serialize(nonce)}},"url":{{JsonSerializer.Serialize(url)}}}"""
            : $$"""{"alg":"ES256","kid":{{JsonSerializer.Serialize(Kid)}},"nonce":{{JsonSerializer.Serialize(nonce)}},"url":{{JsonSerializer.Serialize(url)}}}""";
        var protectedPart = Base64Url(Encoding.UTF8.GetBytes(header));
        var payloadPart = payload is null ? string.Empty : Base64Url(Encoding.UTF8.GetBytes(payload));
        byte[] signature;
        lock (_key)
        {
            // Workers share an account when --accounts is below the concurrency.
            signature = _key.SignData(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart), HashAlgorithmName.SHA256);
        }

        return Encoding.UTF8.GetBytes($$"""{"protected":"{{protectedPart}}","payload":"{{payloadPart}}","signature":"{{Base64Url(signature)}}"}""");
    }

    public void Dispose() => _key.Dispose();

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
