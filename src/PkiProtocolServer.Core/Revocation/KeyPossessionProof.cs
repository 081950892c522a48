using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;
using PkiProtocolServer.Core.X509;

namespace PkiProtocolServer.Core.Revocation;

/// <summary>
/// Proof that a revoker holds a certificate's private key. Two forms: a signature by that key over
/// <c>pkiprotocolserver-revoke:{serial}:{unix seconds}</c> made within <see cref="Window"/> of now (the key never
/// leaves its holder; a replay can only revoke the same certificate again, which is refused as already revoked),
/// or the private key itself in PEM, as Vault's revoke-with-key takes it (compatible; it is used once, never stored).
/// </summary>
public abstract record KeyPossessionProof
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>The exact bytes a <see cref="SignatureProof"/> signs.</summary>
    public static byte[] Statement(string serial, long unixSeconds) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"pkiprotocolserver-revoke:{serial}:{unixSeconds}"));

    /// <summary>Throws Forbidden when the proof does not show possession of <paramref name="certificate"/>'s key.</summary>
    public abstract void Verify(X509Certificate2 certificate, DateTimeOffset now);

    protected static PkiException NotProven(string why) => new(PkiErrorKind.Forbidden, "possession of the certificate's private key is not proven: " + why);
}

/// <summary>A signature with the certificate's key: ECDSA (DER or r||s) with SHA-256/384, RSA PKCS#1 v1.5 or PSS with SHA-256, or Ed25519.</summary>
public sealed record SignatureProof(byte[] Signature, long SignedAtUnixSeconds) : KeyPossessionProof
{
    public override void Verify(X509Certificate2 certificate, DateTimeOffset now)
    {
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(SignedAtUnixSeconds, 0, 253402300799));
        if ((now - signedAt).Duration() > Window)
        {
            throw NotProven($"signed_at is more than {Window.TotalMinutes:0} minutes away from the server's time ({now:O})");
        }

        var statement = Statement(SerialNumbers.ToHex(certificate.SerialNumberBytes.Span), SignedAtUnixSeconds);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        var ok = PublicKeys.Describe(spki).Algorithm switch
        {
            KeyAlgorithm.Rsa => PublicKeys.Verify(spki, SignatureAlgorithm.RsaPkcs1Sha256, statement, Signature)
                || PublicKeys.Verify(spki, SignatureAlgorithm.RsaPssSha256, statement, Signature),
            KeyAlgorithm.Ec => VerifyEcdsa(certificate, statement),
            _ => PublicKeys.Verify(spki, SignatureAlgorithm.Ed25519, statement, Signature),
        };
        if (!ok)
        {
            throw NotProven("the signature does not verify with the certificate's public key over " + Encoding.ASCII.GetString(statement));
        }
    }

    private bool VerifyEcdsa(X509Certificate2 certificate, byte[] statement)
    {
        using var key = certificate.GetECDsaPublicKey()!;
        foreach (var hash in new[] { HashAlgorithmName.SHA256, HashAlgorithmName.SHA384 })
        {
            if (key.VerifyData(statement, Signature, hash, DSASignatureFormat.Rfc3279DerSequence)
                || key.VerifyData(statement, Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The private key in PEM (PKCS#8, PKCS#1 RSA or SEC1 EC), checked by signing with it and verifying with the certificate.</summary>
public sealed record PrivateKeyProof(string PrivateKeyPem) : KeyPossessionProof
{
    public override void Verify(X509Certificate2 certificate, DateTimeOffset now)
    {
        var challenge = RandomNumberGenerator.GetBytes(32);
        var spki = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        bool ok;
        try
        {
            ok = PublicKeys.Describe(spki).Algorithm switch
            {
                KeyAlgorithm.Rsa => SignsWithRsa(spki, challenge),
                KeyAlgorithm.Ec => SignsWithEcdsa(spki, challenge),
                _ => MatchesEd25519(certificate),
            };
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException)
        {
            throw NotProven("private_key is not a PEM private key of the certificate's type");
        }

        if (!ok)
        {
            throw NotProven("private_key does not belong to the certificate");
        }
    }

    private bool SignsWithRsa(byte[] spki, byte[] challenge)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(PrivateKeyPem);
        return PublicKeys.Verify(spki, SignatureAlgorithm.RsaPkcs1Sha256, challenge, rsa.SignData(challenge, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private bool SignsWithEcdsa(byte[] spki, byte[] challenge)
    {
        using var ec = ECDsa.Create();
        ec.ImportFromPem(PrivateKeyPem);
        return PublicKeys.Verify(spki, SignatureAlgorithm.EcdsaSha256, challenge, ec.SignData(challenge, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    // .NET has no Ed25519 key type: read the RFC 8410 seed and compare the public key it derives.
    private bool MatchesEd25519(X509Certificate2 certificate)
    {
        var block = Pem.ReadAll(PrivateKeyPem).FirstOrDefault(b => b.Label == "PRIVATE KEY");
        if (block.Der is null)
        {
            return false;
        }

        var info = System.Security.Cryptography.Pkcs.Pkcs8PrivateKeyInfo.Decode(block.Der, out _);
        if (info.AlgorithmId.Value != SignatureAlgorithms.Ed25519Oid)
        {
            return false;
        }

        var seed = new System.Formats.Asn1.AsnReader(info.PrivateKeyBytes, System.Formats.Asn1.AsnEncodingRules.DER).ReadOctetString();
        try
        {
            var derived = new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded();
            return derived.AsSpan().SequenceEqual(certificate.PublicKey.EncodedKeyValue.RawData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
