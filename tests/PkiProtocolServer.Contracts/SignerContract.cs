using System.Security.Cryptography;
using System.Text;
using PkiProtocolServer.Core.Keys;
using Xunit;

namespace PkiProtocolServer.Contracts;

/// <summary>
/// What every key custody must do, whatever holds the key. A provider's test project derives from this
/// and supplies its custody; the same facts then hold for software, PKCS#11 and KMS keys.
/// </summary>
public abstract class SignerContract
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("to be signed: a TBSCertificate stands in here");

    /// <summary>The custody under test, ready to generate and open keys.</summary>
    protected abstract IKeyCustody Custody { get; }

    /// <summary>Key specs this custody must support (override to narrow for a device that lacks one).</summary>
    public static TheoryData<string> AllSpecs => new() { "rsa-2048", "rsa-3072", "ec-256", "ec-384", "ed25519" };

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public async Task Generated_key_signs_and_the_signature_verifies_with_its_public_key(string specName)
    {
        var spec = KeySpec.FromName(specName);
        var signer = await Custody.GenerateAsync(spec, "contract-" + specName, CancellationToken.None);

        Assert.Equal(spec, signer.KeySpec);
        Assert.Equal(spec, PublicKeys.Describe(signer.SubjectPublicKeyInfo.Span));
        var algorithm = spec.DefaultSignatureAlgorithm;
        var signature = await signer.SignAsync(Message, algorithm, CancellationToken.None);
        Assert.True(PublicKeys.Verify(signer.SubjectPublicKeyInfo.Span, algorithm, Message, signature));
        Assert.False(PublicKeys.Verify(signer.SubjectPublicKeyInfo.Span, algorithm, Encoding.ASCII.GetBytes("another message"), signature));
    }

    [Theory]
    [InlineData("ec-256", SignatureAlgorithm.EcdsaSha384)]
    [InlineData("ec-384", SignatureAlgorithm.EcdsaSha256)]
    [InlineData("rsa-2048", SignatureAlgorithm.RsaPkcs1Sha384)]
    [InlineData("rsa-2048", SignatureAlgorithm.RsaPssSha256)]
    [InlineData("rsa-2048", SignatureAlgorithm.RsaPssSha512)]
    public async Task Signs_with_every_algorithm_its_key_type_allows(string specName, SignatureAlgorithm algorithm)
    {
        var signer = await Custody.GenerateAsync(KeySpec.FromName(specName), "contract-alg", CancellationToken.None);

        var signature = await signer.SignAsync(Message, algorithm, CancellationToken.None);

        Assert.True(PublicKeys.Verify(signer.SubjectPublicKeyInfo.Span, algorithm, Message, signature));
    }

    [Fact]
    public async Task Refuses_an_algorithm_its_key_cannot_make()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP256, "contract-mismatch", CancellationToken.None);

        await Assert.ThrowsAsync<PkiProtocolServer.Core.Errors.PkiException>(
            async () => await signer.SignAsync(Message, SignatureAlgorithm.RsaPkcs1Sha256, CancellationToken.None));
    }

    [Fact]
    public async Task Reopened_key_has_the_same_public_key_and_signs()
    {
        var generated = await Custody.GenerateAsync(KeySpec.EcP256, "contract-reopen", CancellationToken.None);

        var reopened = await Custody.OpenAsync(generated.KeyReference, CancellationToken.None);

        Assert.Equal(generated.SubjectPublicKeyInfo.ToArray(), reopened.SubjectPublicKeyInfo.ToArray());
        var signature = await reopened.SignAsync(Message, SignatureAlgorithm.EcdsaSha256, CancellationToken.None);
        Assert.True(PublicKeys.Verify(generated.SubjectPublicKeyInfo.Span, SignatureAlgorithm.EcdsaSha256, Message, signature));
    }

    [Fact]
    public async Task Concurrent_signing_on_one_key_gives_only_valid_signatures()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP256, "contract-concurrent", CancellationToken.None);
        var messages = Enumerable.Range(0, 400).Select(i => Encoding.ASCII.GetBytes($"message {i}")).ToArray();

        var signatures = await Task.WhenAll(messages.Select(m =>
            Task.Run(async () => await signer.SignAsync(m, SignatureAlgorithm.EcdsaSha256, CancellationToken.None))));

        for (var i = 0; i < messages.Length; i++)
        {
            Assert.True(PublicKeys.Verify(signer.SubjectPublicKeyInfo.Span, SignatureAlgorithm.EcdsaSha256, messages[i], signatures[i]), $"signature {i}");
        }
    }

    [Fact]
    public async Task Two_generated_keys_are_distinct()
    {
        var a = await Custody.GenerateAsync(KeySpec.EcP256, "contract-distinct", CancellationToken.None);
        var b = await Custody.GenerateAsync(KeySpec.EcP256, "contract-distinct", CancellationToken.None);

        Assert.NotEqual(a.KeyReference, b.KeyReference);
        Assert.False(a.SubjectPublicKeyInfo.Span.SequenceEqual(b.SubjectPublicKeyInfo.Span));
    }

    [Fact]
    public async Task Deleted_key_cannot_be_opened()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP256, "contract-delete", CancellationToken.None);

        Assert.True(await Custody.DeleteAsync(signer.KeyReference, CancellationToken.None));
        Assert.False(await Custody.DeleteAsync(signer.KeyReference, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(async () => await Custody.OpenAsync(signer.KeyReference, CancellationToken.None));
    }

    [Fact]
    public async Task Ecdsa_signatures_are_der_encoded_for_x509()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP256, "contract-der", CancellationToken.None);

        var signature = await signer.SignAsync(Message, SignatureAlgorithm.EcdsaSha256, CancellationToken.None);

        Assert.Equal(0x30, signature[0]); // SEQUENCE { r INTEGER, s INTEGER }
        using var ec = ECDsa.Create();
        ec.ImportSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo.Span, out _);
        Assert.True(ec.VerifyData(Message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }
}
