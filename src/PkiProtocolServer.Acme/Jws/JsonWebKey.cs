using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Acme.Jws;

/// <summary>
/// A public JWK (RFC 7517) of an ACME account or request: EC P-256/P-384/P-521, RSA (2048 to 8192 bits) or Ed25519
/// (RFC 8037). Parsing checks the key; <see cref="Thumbprint"/> is the RFC 7638 SHA-256 thumbprint.
/// </summary>
public sealed class JsonWebKey
{
    private const int MinRsaBits = 2048;
    private const int MaxRsaBits = 8192;

    // SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) }.
    private static readonly byte[] Ed25519SpkiPrefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    private readonly ECParameters? _ec;

    // The EC key loaded into OpenSSL once, when the point was checked: loading costs more than a verification (a
    // fresh group, the full public-key check, an export into the provider layer), and a stored account key is verified
    // on every request. One ECDsa instance is not promised to be thread-safe, so verifications take its lock. Not
    // disposed: keys live in a bounded cache and as request state, and the SafeHandle frees the native key when
    // collected.
    private readonly ECDsa? _ecdsa;
    private readonly RSAParameters? _rsa;
    private readonly byte[]? _ed25519;

    private JsonWebKey(string keyType, string? curve, string canonicalJson, ECParameters? ec, RSAParameters? rsa, byte[]? ed25519, ECDsa? ecdsa = null)
    {
        _ecdsa = ecdsa;
        KeyType = keyType;
        Curve = curve;
        CanonicalJson = canonicalJson;
        _ec = ec;
        _rsa = rsa;
        _ed25519 = ed25519;
        Thumbprint = Base64UrlText.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJson)));
    }

    /// <summary><c>EC</c>, <c>RSA</c> or <c>OKP</c>.</summary>
    public string KeyType { get; }

    public string? Curve { get; }

    /// <summary>The required members only, lexicographically ordered, no whitespace (RFC 7638 3.2): the form stored and compared.</summary>
    public string CanonicalJson { get; }

    /// <summary>RFC 7638 thumbprint (SHA-256, base64url): the account key's identity and the key authorization suffix (RFC 8555 8.1).</summary>
    public string Thumbprint { get; }

    /// <summary>Reads a JWK from JSON; throws badPublicKey / malformed for anything unusable, including private members.</summary>
    public static JsonWebKey Parse(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw AcmeException.Malformed("\"jwk\" must be a JSON object");
        }

        if (jwk.TryGetProperty("d", out _) || jwk.TryGetProperty("p", out _) || jwk.TryGetProperty("q", out _))
        {
            throw new AcmeException(AcmeErrorType.BadPublicKey, "the JWK holds private key members; send the public key only");
        }

        var kty = Member(jwk, "kty");
        switch (kty)
        {
            case "EC":
                {
                    var crv = Member(jwk, "crv");
                    var (curve, size) = crv switch
                    {
                        "P-256" => (ECCurve.NamedCurves.nistP256, 32),
                        "P-384" => (ECCurve.NamedCurves.nistP384, 48),
                        "P-521" => (ECCurve.NamedCurves.nistP521, 66),
                        _ => throw new AcmeException(AcmeErrorType.BadPublicKey, $"EC curve '{crv}' is not accepted; use P-256, P-384 or P-521"),
                    };
                    var x = Coordinate(jwk, "x", size);
                    var y = Coordinate(jwk, "y", size);
                    var parameters = new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } };
                    ECDsa loaded;
                    try
                    {
                        loaded = ECDsa.Create(parameters); // validates that the point is on the curve
                    }
                    catch (CryptographicException)
                    {
                        throw new AcmeException(AcmeErrorType.BadPublicKey, "the EC public key is not a point on its curve");
                    }

                    var canonical = $"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{Base64UrlText.Encode(x)}\",\"y\":\"{Base64UrlText.Encode(y)}\"}}";
                    return new JsonWebKey("EC", crv, canonical, parameters, null, null, loaded);
                }

            case "RSA":
                {
                    var n = Bytes(jwk, "n");
                    var e = Bytes(jwk, "e");
                    n = TrimLeadingZeros(n);
                    e = TrimLeadingZeros(e);
                    var bits = n.Length * 8 - System.Numerics.BitOperations.LeadingZeroCount((uint)n[0]) + 24;
                    if (bits < MinRsaBits || bits > MaxRsaBits)
                    {
                        throw new AcmeException(AcmeErrorType.BadPublicKey, $"an RSA key of {bits} bits is not accepted; use {MinRsaBits} to {MaxRsaBits} bits");
                    }

                    if (e.Length > 4 || (e[^1] & 1) == 0 || e.Length == 1 && e[0] < 3)
                    {
                        throw new AcmeException(AcmeErrorType.BadPublicKey, "the RSA public exponent is not acceptable");
                    }

                    var parameters = new RSAParameters { Modulus = n, Exponent = e };
                    var canonical = $"{{\"e\":\"{Base64UrlText.Encode(e)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlText.Encode(n)}\"}}";
                    return new JsonWebKey("RSA", null, canonical, null, parameters, null);
                }

            case "OKP":
                {
                    var crv = Member(jwk, "crv");
                    if (crv != "Ed25519")
                    {
                        throw new AcmeException(AcmeErrorType.BadPublicKey, $"OKP curve '{crv}' is not accepted; use Ed25519");
                    }

                    var x = Coordinate(jwk, "x", 32);
                    var canonical = $"{{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"{Base64UrlText.Encode(x)}\"}}";
                    return new JsonWebKey("OKP", crv, canonical, null, null, x);
                }

            default:
                throw new AcmeException(AcmeErrorType.BadPublicKey, $"key type '{kty}' is not accepted; use EC, RSA or OKP (Ed25519)");
        }
    }

    /// <summary>
    /// Reads a JWK stored as its canonical JSON (an account's key, on every request it signs): parsed and checked
    /// once, then taken from <see cref="StoredKeyCache"/>. A key is immutable, so one instance serves every request.
    /// </summary>
    public static JsonWebKey FromCanonicalJson(string json) => StoredKeyCache.GetOrParse(json, static text =>
    {
        using var document = JsonDocument.Parse(text);
        return Parse(document.RootElement);
    });

    /// <summary>Whether <paramref name="alg"/> is the algorithm this key signs with (RFC 7518 3.1, RFC 8037 3.1).</summary>
    public bool Accepts(string alg) => (KeyType, Curve, alg) switch
    {
        ("EC", "P-256", JwsAlgorithms.Es256) => true,
        ("EC", "P-384", JwsAlgorithms.Es384) => true,
        ("EC", "P-521", JwsAlgorithms.Es512) => true,
        ("RSA", _, JwsAlgorithms.Rs256 or JwsAlgorithms.Ps256) => true,
        ("OKP", "Ed25519", JwsAlgorithms.EdDsa) => true,
        _ => false,
    };

    /// <summary>Verifies a JWS signature over the signing input. False for any mismatch, never an exception.</summary>
    public bool Verify(string alg, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (!Accepts(alg))
        {
            return false;
        }

        try
        {
            switch (KeyType)
            {
                case "EC":
                    lock (_ecdsa!)
                    {
                        var ecdsa = _ecdsa;
                        var hash = alg switch
                        {
                            JwsAlgorithms.Es384 => HashAlgorithmName.SHA384,
                            JwsAlgorithms.Es512 => HashAlgorithmName.SHA512,
                            _ => HashAlgorithmName.SHA256,
                        };
                        // JWS carries ECDSA signatures as fixed-size R||S (RFC 7518 3.4).
                        return signature.Length == 2 * _ec!.Value.Q.X!.Length
                            && ecdsa.VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                    }

                case "RSA":
                    using (var rsa = RSA.Create(_rsa!.Value))
                    {
                        var padding = alg == JwsAlgorithms.Ps256 ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                        return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, padding);
                    }

                default:
                    return PublicKeys.Verify(SubjectPublicKeyInfo(), SignatureAlgorithm.Ed25519, signingInput, signature);
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The key as DER SubjectPublicKeyInfo, to compare with a CSR's key.</summary>
    public byte[] SubjectPublicKeyInfo()
    {
        switch (KeyType)
        {
            case "EC":
                lock (_ecdsa!)
                {
                    return _ecdsa.ExportSubjectPublicKeyInfo();
                }

            case "RSA":
                using (var rsa = RSA.Create(_rsa!.Value))
                {
                    return rsa.ExportSubjectPublicKeyInfo();
                }

            default:
                return [.. Ed25519SpkiPrefix, .. _ed25519!];
        }
    }

    private static string Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new AcmeException(AcmeErrorType.BadPublicKey, $"the JWK has no string \"{name}\"");

    private static byte[] Bytes(JsonElement jwk, string name)
    {
        if (!Base64UrlText.TryDecode(Member(jwk, name), out var bytes) || bytes.Length == 0)
        {
            throw new AcmeException(AcmeErrorType.BadPublicKey, $"the JWK member \"{name}\" is not base64url");
        }

        return bytes;
    }

    private static byte[] Coordinate(JsonElement jwk, string name, int size)
    {
        var bytes = Bytes(jwk, name);
        return bytes.Length == size
            ? bytes
            : throw new AcmeException(AcmeErrorType.BadPublicKey, $"the JWK member \"{name}\" must be {size} bytes for its curve (RFC 7518 6.2.1.2), not {bytes.Length}");
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
