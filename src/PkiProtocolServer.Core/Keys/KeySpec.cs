using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Keys;

/// <summary>
/// A key type and size, named as Vault names them (<c>key_type</c> rsa | ec | ed25519, <c>key_bits</c>).
/// Only the safe set can be constructed: RSA 2048/3072/4096, ECDSA P-256/P-384, Ed25519.
/// </summary>
public readonly record struct KeySpec
{
    public static readonly KeySpec Rsa2048 = new(KeyAlgorithm.Rsa, 2048);
    public static readonly KeySpec Rsa3072 = new(KeyAlgorithm.Rsa, 3072);
    public static readonly KeySpec Rsa4096 = new(KeyAlgorithm.Rsa, 4096);
    public static readonly KeySpec EcP256 = new(KeyAlgorithm.Ec, 256);
    public static readonly KeySpec EcP384 = new(KeyAlgorithm.Ec, 384);
    public static readonly KeySpec Ed25519 = new(KeyAlgorithm.Ed25519, 256);

    private KeySpec(KeyAlgorithm algorithm, int bits)
    {
        Algorithm = algorithm;
        Bits = bits;
    }

    public KeyAlgorithm Algorithm { get; }

    public int Bits { get; }

    /// <summary>The wire name used by the admin API: <c>rsa</c>, <c>ec</c> or <c>ed25519</c>.</summary>
    public string TypeName => Algorithm switch
    {
        KeyAlgorithm.Rsa => "rsa",
        KeyAlgorithm.Ec => "ec",
        _ => "ed25519",
    };

    /// <summary>The signature algorithm a CA key of this spec signs with by default.</summary>
    public SignatureAlgorithm DefaultSignatureAlgorithm => Algorithm switch
    {
        KeyAlgorithm.Rsa => SignatureAlgorithm.RsaPkcs1Sha256,
        KeyAlgorithm.Ec when Bits == 384 => SignatureAlgorithm.EcdsaSha384,
        KeyAlgorithm.Ec => SignatureAlgorithm.EcdsaSha256,
        _ => SignatureAlgorithm.Ed25519,
    };

    /// <summary>Parses <c>key_type</c> and <c>key_bits</c> (0 = the type's default: RSA 2048, EC P-256).</summary>
    public static KeySpec Parse(string? keyType, int keyBits = 0)
    {
        switch ((keyType ?? "ec").Trim().ToLowerInvariant())
        {
            case "rsa":
                return keyBits switch
                {
                    0 or 2048 => Rsa2048,
                    3072 => Rsa3072,
                    4096 => Rsa4096,
                    _ => throw PkiException.Malformed($"key_bits {keyBits} is not supported for rsa; use 2048, 3072 or 4096"),
                };
            case "ec":
            case "ecdsa":
                return keyBits switch
                {
                    0 or 256 => EcP256,
                    384 => EcP384,
                    _ => throw PkiException.Malformed($"key_bits {keyBits} is not supported for ec; use 256 (P-256) or 384 (P-384)"),
                };
            case "ed25519":
                return keyBits is 0 or 256
                    ? Ed25519
                    : throw PkiException.Malformed("ed25519 keys have no key_bits choice; omit it");
            default:
                throw PkiException.Malformed($"key_type '{keyType}' is not supported; use rsa, ec or ed25519");
        }
    }

    /// <summary>Parses the form <see cref="ToString"/> writes: <c>rsa-2048</c>, <c>ec-256</c>, <c>ed25519</c>.</summary>
    public static KeySpec FromName(string name)
    {
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? Parse(name) : Parse(name[..dash], int.Parse(name[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public override string ToString() => Algorithm == KeyAlgorithm.Ed25519 ? "ed25519" : $"{TypeName}-{Bits}";
}
