using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11.Tests;

/// <summary>Lets .NET's CertificateRequest sign with an <see cref="ISigner"/>, as the issuer core will.</summary>
internal sealed class SignerSignatureGenerator(ISigner signer, SignatureAlgorithm algorithm) : X509SignatureGenerator
{
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
        SignatureAlgorithms.AlgorithmIdentifier(algorithm).ToArray();

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
        signer.SignAsync(data, algorithm, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    protected override PublicKey BuildPublicKey() => PublicKeys.Load(signer.SubjectPublicKeyInfo.Span);
}
