using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Org.BouncyCastle.Crypto.Parameters;
using PkiProtocolServer.Core.Errors;

namespace PkiProtocolServer.Core.Keys.Software;

/// <summary>
/// A key held in process memory. .NET's RSA/ECDsa objects are not documented as thread-safe, so
/// concurrent signs take instances from a small pool instead of sharing one.
/// </summary>
internal sealed class SoftwareSigner : ISigner
{
    private readonly ConcurrentBag<AsymmetricAlgorithm> _pool = [];
    private readonly Func<AsymmetricAlgorithm>? _factory;
    private readonly Ed25519PrivateKeyParameters? _ed25519;

    private SoftwareSigner(string keyReference, KeySpec spec, byte[] spki, Func<AsymmetricAlgorithm>? factory, Ed25519PrivateKeyParameters? ed25519)
    {
        KeyReference = keyReference;
        KeySpec = spec;
        SubjectPublicKeyInfo = spki;
        _factory = factory;
        _ed25519 = ed25519;
    }

    public string KeyReference { get; }

    public KeySpec KeySpec { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    /// <summary>Builds a signer from a plaintext PKCS#8 blob (the caller wipes its copy).</summary>
    public static SoftwareSigner FromPkcs8(string keyReference, byte[] pkcs8)
    {
        var info = Pkcs8PrivateKeyInfo.Decode(pkcs8, out _);
        switch (info.AlgorithmId.Value)
        {
            case SignatureAlgorithms.RsaEncryptionOid:
                {
                    var first = RSA.Create();
                    first.ImportPkcs8PrivateKey(pkcs8, out _);
                    var parameters = first.ExportParameters(includePrivateParameters: true);
                    var signer = new SoftwareSigner(keyReference, PublicKeys.Describe(first.ExportSubjectPublicKeyInfo()), first.ExportSubjectPublicKeyInfo(), () => RSA.Create(parameters), null);
                    signer._pool.Add(first);
                    return signer;
                }

            case SignatureAlgorithms.EcPublicKeyOid:
                {
                    var first = ECDsa.Create();
                    first.ImportPkcs8PrivateKey(pkcs8, out _);
                    var parameters = first.ExportParameters(includePrivateParameters: true);
                    var signer = new SoftwareSigner(keyReference, PublicKeys.Describe(first.ExportSubjectPublicKeyInfo()), first.ExportSubjectPublicKeyInfo(), () => ECDsa.Create(parameters), null);
                    signer._pool.Add(first);
                    return signer;
                }

            case SignatureAlgorithms.Ed25519Oid:
                {
                    // RFC 8410: privateKey is an OCTET STRING holding the 32-byte seed.
                    var seed = new AsnReader(info.PrivateKeyBytes, AsnEncodingRules.DER).ReadOctetString();
                    var key = new Ed25519PrivateKeyParameters(seed);
                    CryptographicOperations.ZeroMemory(seed);
                    var spki = new AsnWriter(AsnEncodingRules.DER);
                    using (spki.PushSequence())
                    {
                        using (spki.PushSequence())
                        {
                            spki.WriteObjectIdentifier(SignatureAlgorithms.Ed25519Oid);
                        }

                        spki.WriteBitString(key.GeneratePublicKey().GetEncoded());
                    }

                    return new SoftwareSigner(keyReference, KeySpec.Ed25519, spki.Encode(), null, key);
                }

            default:
                throw PkiException.Malformed($"software key {keyReference} has unsupported algorithm {info.AlgorithmId.Value}");
        }
    }

    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, SignatureAlgorithm algorithm, CancellationToken cancellationToken)
    {
        SignatureAlgorithms.EnsureFits(algorithm, KeySpec);
        if (_ed25519 is not null)
        {
            var signature = new byte[64];
            _ed25519.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, data.Span.ToArray(), 0, data.Length, signature, 0);
            return ValueTask.FromResult(signature);
        }

        if (!_pool.TryTake(out var key))
        {
            key = _factory!();
        }

        try
        {
            var hash = SignatureAlgorithms.Hash(algorithm);
            var result = key switch
            {
                ECDsa ec => ec.SignData(data.Span, hash, DSASignatureFormat.Rfc3279DerSequence),
                RSA rsa => rsa.SignData(data.Span, hash, SignatureAlgorithms.IsPss(algorithm) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
                _ => throw new InvalidOperationException("unexpected key object"),
            };
            return ValueTask.FromResult(result);
        }
        finally
        {
            _pool.Add(key);
        }
    }
}
