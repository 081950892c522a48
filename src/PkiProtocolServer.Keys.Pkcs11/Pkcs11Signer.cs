using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.MechanismParams;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11;

/// <summary>
/// A private key on a PKCS#11 token. The object handle is found once when the signer is opened (finding
/// it per signature is a known throughput trap); each signature rents a session from the custody's pool.
/// </summary>
internal sealed class Pkcs11Signer : ISigner
{
    private readonly IObjectHandle _privateKey;
    private readonly Pkcs11SessionPool _sessions;
    private readonly Pkcs11InteropFactories _factories;

    public Pkcs11Signer(string keyReference, KeySpec spec, byte[] subjectPublicKeyInfo, IObjectHandle privateKey, Pkcs11SessionPool sessions, Pkcs11InteropFactories factories)
    {
        KeyReference = keyReference;
        KeySpec = spec;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        _privateKey = privateKey;
        _sessions = sessions;
        _factories = factories;
    }

    public string KeyReference { get; }

    public KeySpec KeySpec { get; }

    public ReadOnlyMemory<byte> SubjectPublicKeyInfo { get; }

    public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, SignatureAlgorithm algorithm, CancellationToken cancellationToken)
    {
        SignatureAlgorithms.EnsureFits(algorithm, KeySpec);
        cancellationToken.ThrowIfCancellationRequested();

        // Everything but EdDSA is hashed here, so only a digest crosses to the token.
        var input = algorithm == SignatureAlgorithm.Ed25519
            ? data.ToArray()
            : SignatureAlgorithms.Digest(algorithm, data.Span);
        if (KeySpec.Algorithm == KeyAlgorithm.Rsa && !SignatureAlgorithms.IsPss(algorithm))
        {
            input = RsaDigestInfo.Encode(SignatureAlgorithms.Hash(algorithm), input);
        }

        byte[] signature;
        try
        {
            signature = await _sessions.RunAsync(session => Sign(session, algorithm, input), cancellationToken).ConfigureAwait(false);
        }
        catch (Pkcs11Exception ex)
        {
            throw new PkiException(PkiErrorKind.Unavailable, $"PKCS#11 signing with {KeyReference} failed: {ex.Method} returned {ex.RV}", inner: ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new PkiException(PkiErrorKind.Unavailable, $"PKCS#11 signing with {KeyReference} failed: the key custody has been closed", inner: ex);
        }

        // CKM_ECDSA returns r||s; X.509 carries the DER Ecdsa-Sig-Value.
        return KeySpec.Algorithm == KeyAlgorithm.Ec ? EcdsaSignatureEncoding.RawToDer(signature) : signature;
    }

    private byte[] Sign(ISession session, SignatureAlgorithm algorithm, byte[] input)
    {
        using var pssParameters = SignatureAlgorithms.IsPss(algorithm) ? CreatePssParameters(algorithm) : null;
        using var mechanism = pssParameters is not null
            ? _factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_PSS, pssParameters)
            : KeySpec.Algorithm switch
            {
                // SoftHSM (and many HSMs) lack CKM_ECDSA_SHA256/384; CKM_ECDSA over our digest works everywhere.
                KeyAlgorithm.Ec => _factories.MechanismFactory.Create(CKM.CKM_ECDSA),
                KeyAlgorithm.Ed25519 => _factories.MechanismFactory.Create(Pkcs11V3Constants.CkmEddsa),
                _ => _factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS),
            };
        return session.Sign(mechanism, _privateKey, input);
    }

    /// <summary>RFC 4055 profile, as SignatureAlgorithms encodes it: MGF1 with the same hash, salt length = hash length.</summary>
    private ICkRsaPkcsPssParams CreatePssParameters(SignatureAlgorithm algorithm)
    {
        var hash = SignatureAlgorithms.Hash(algorithm);
        var (hashMechanism, mgf, saltLength) = hash == HashAlgorithmName.SHA256 ? (CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, 32UL)
            : hash == HashAlgorithmName.SHA384 ? (CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, 48UL)
            : (CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, 64UL);
        return _factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams((ulong)hashMechanism, (ulong)mgf, saltLength);
    }
}
