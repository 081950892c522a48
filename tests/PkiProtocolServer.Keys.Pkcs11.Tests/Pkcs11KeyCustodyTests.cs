using System.Text;
using Net.Pkcs11Interop.Common;
using PkiProtocolServer.Core.Errors;
using PkiProtocolServer.Core.Keys;

namespace PkiProtocolServer.Keys.Pkcs11.Tests;

[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11KeyCustodyTests(SoftHsmToken token)
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("a TBSCertificate stands in here");

    private Pkcs11KeyCustody Custody => token.Custody;

    [Fact]
    public void Is_named_pkcs11_and_production_grade()
    {
        Assert.Equal("pkcs11", Custody.Name);
        Assert.False(Custody.IsDevelopmentGrade);
    }

    [Theory]
    [InlineData("ec-256")]
    [InlineData("ed25519")]
    [InlineData("rsa-2048")]
    public async Task Generated_private_key_is_sensitive_non_extractable_token_object_that_only_signs(string specName)
    {
        var signer = await Custody.GenerateAsync(KeySpec.FromName(specName), "attributes-" + specName, CancellationToken.None);
        var reference = Pkcs11KeyReference.Parse(signer.KeyReference);

        var flags = await Custody.UseManagementSessionAsync("test", session =>
        {
            var key = Assert.Single(Pkcs11Objects.Find(session, CKO.CKO_PRIVATE_KEY, reference.ObjectLabel, reference.Id));
            return new[] { CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_TOKEN, CKA.CKA_PRIVATE, CKA.CKA_SIGN, CKA.CKA_DECRYPT, CKA.CKA_ALWAYS_SENSITIVE, CKA.CKA_NEVER_EXTRACTABLE }
                .ToDictionary(a => a, a => Pkcs11Objects.ReadBool(session, key, a));
        }, CancellationToken.None);

        Assert.True(flags[CKA.CKA_SENSITIVE]);
        Assert.False(flags[CKA.CKA_EXTRACTABLE]);
        Assert.True(flags[CKA.CKA_TOKEN]);
        Assert.True(flags[CKA.CKA_PRIVATE]);
        Assert.True(flags[CKA.CKA_SIGN]);
        Assert.False(flags[CKA.CKA_DECRYPT]);
        Assert.True(flags[CKA.CKA_ALWAYS_SENSITIVE]);
        Assert.True(flags[CKA.CKA_NEVER_EXTRACTABLE]);
    }

    [Fact]
    public async Task Generated_private_key_value_cannot_be_read()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP256, "unreadable", CancellationToken.None);
        var reference = Pkcs11KeyReference.Parse(signer.KeyReference);

        var value = await Custody.UseManagementSessionAsync("test", session =>
        {
            var key = Assert.Single(Pkcs11Objects.Find(session, CKO.CKO_PRIVATE_KEY, null, reference.Id));
            return Pkcs11Objects.ReadBytes(session, key, CKA.CKA_VALUE)[0];
        }, CancellationToken.None);

        Assert.Null(value);
    }

    [Fact]
    public async Task Both_halves_carry_the_label_and_a_16_byte_id_named_in_the_reference()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP384, "root-2026", CancellationToken.None);

        var attributes = KeyReference.Attributes(signer.KeyReference);
        Assert.Equal("pkcs11", KeyReference.Scheme(signer.KeyReference));
        Assert.Equal(SoftHsmToken.Label, attributes["token"]);
        Assert.Equal("root-2026", attributes["object"]);
        Assert.Equal(32, attributes["id"].Length);
        var id = Convert.FromHexString(attributes["id"]);
        var counts = await Custody.UseManagementSessionAsync("test", session =>
            (Pkcs11Objects.Find(session, CKO.CKO_PRIVATE_KEY, "root-2026", id).Count, Pkcs11Objects.Find(session, CKO.CKO_PUBLIC_KEY, "root-2026", id).Count),
            CancellationToken.None);
        Assert.Equal((1, 1), counts);
    }

    [Theory]
    [InlineData("rsa-2048")]
    [InlineData("rsa-3072")]
    [InlineData("rsa-4096")]
    [InlineData("ec-256")]
    [InlineData("ec-384")]
    [InlineData("ed25519")]
    public async Task Every_algorithm_that_fits_the_key_verifies_and_survives_a_reopen(string specName)
    {
        var spec = KeySpec.FromName(specName);
        var generated = await Custody.GenerateAsync(spec, "algorithms-" + specName, CancellationToken.None);
        var reopened = await Custody.OpenAsync(generated.KeyReference, CancellationToken.None);
        Assert.Equal(spec, reopened.KeySpec);
        Assert.Equal(generated.SubjectPublicKeyInfo.ToArray(), reopened.SubjectPublicKeyInfo.ToArray());

        foreach (var algorithm in Enum.GetValues<SignatureAlgorithm>())
        {
            if (!SignatureAlgorithms.Fits(algorithm, spec))
            {
                await Assert.ThrowsAsync<PkiException>(async () => await reopened.SignAsync(Message, algorithm, CancellationToken.None));
                continue;
            }

            var signature = await reopened.SignAsync(Message, algorithm, CancellationToken.None);
            Assert.True(PublicKeys.Verify(generated.SubjectPublicKeyInfo.Span, algorithm, Message, signature), $"{algorithm} on {spec}");
        }
    }

    [Fact]
    public async Task A_key_made_outside_the_server_with_pkcs11_tool_opens_by_label_and_by_id()
    {
        // As an operator would: while the server holds the token open, in another process.
        token.RunPkcs11Tool("--keypairgen", "--key-type", "EC:prime256v1", "--label", "existing", "--id", "0a0b");

        var byLabel = await Custody.OpenAsync($"pkcs11:token={SoftHsmToken.Label};object=existing", CancellationToken.None);
        var byId = await Custody.OpenAsync("pkcs11:id=0a0b", CancellationToken.None);
        var byBoth = await Custody.OpenAsync("pkcs11:object=existing;id=0A:0B", CancellationToken.None);

        Assert.Equal(KeySpec.EcP256, byLabel.KeySpec);
        Assert.Equal(byLabel.SubjectPublicKeyInfo.ToArray(), byId.SubjectPublicKeyInfo.ToArray());
        Assert.Equal(byLabel.SubjectPublicKeyInfo.ToArray(), byBoth.SubjectPublicKeyInfo.ToArray());
        foreach (var signer in new[] { byLabel, byId, byBoth })
        {
            var signature = await signer.SignAsync(Message, SignatureAlgorithm.EcdsaSha256, CancellationToken.None);
            Assert.True(PublicKeys.Verify(byLabel.SubjectPublicKeyInfo.Span, SignatureAlgorithm.EcdsaSha256, Message, signature));
        }

        // The public key we derived is the one on the token, as the token's own tool exports it.
        var exported = Path.Combine(token.Directory, "existing.der");
        token.RunPkcs11Tool("--read-object", "--type", "pubkey", "--id", "0a0b", "--output-file", exported);
        Assert.Equal(File.ReadAllBytes(exported), byLabel.SubjectPublicKeyInfo.ToArray());
    }

    [Theory]
    [InlineData("EC:edwards25519", "0c0d", "ed25519", SignatureAlgorithm.Ed25519)] // CKA_EC_PARAMS as PrintableString "edwards25519"
    [InlineData("EC:secp384r1", "0e0f", "ec-384", SignatureAlgorithm.EcdsaSha384)]
    [InlineData("rsa:3072", "1011", "rsa-3072", SignatureAlgorithm.RsaPssSha256)]
    public async Task Other_key_types_made_with_pkcs11_tool_open_and_sign(string keyType, string id, string specName, SignatureAlgorithm algorithm)
    {
        token.RunPkcs11Tool("--keypairgen", "--key-type", keyType, "--label", "existing-" + id, "--id", id);

        var signer = await Custody.OpenAsync("pkcs11:id=" + id, CancellationToken.None);

        Assert.Equal(KeySpec.FromName(specName), signer.KeySpec);
        var signature = await signer.SignAsync(Message, algorithm, CancellationToken.None);
        Assert.True(PublicKeys.Verify(signer.SubjectPublicKeyInfo.Span, algorithm, Message, signature));
    }

    [Fact]
    public async Task A_reference_matching_several_keys_is_refused_and_the_id_disambiguates()
    {
        var first = await Custody.GenerateAsync(KeySpec.EcP256, "twin", CancellationToken.None);
        var second = await Custody.GenerateAsync(KeySpec.EcP256, "twin", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PkiException>(async () => await Custody.OpenAsync("pkcs11:object=twin", CancellationToken.None));
        Assert.Equal(PkiErrorKind.Conflict, ex.Kind);
        Assert.Contains("2 private keys", ex.Message);

        var reopened = await Custody.OpenAsync(second.KeyReference, CancellationToken.None);
        Assert.Equal(second.SubjectPublicKeyInfo.ToArray(), reopened.SubjectPublicKeyInfo.ToArray());
        Assert.NotEqual(first.SubjectPublicKeyInfo.ToArray(), reopened.SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public async Task Unknown_key_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<PkiException>(async () => await Custody.OpenAsync("pkcs11:object=never-made", CancellationToken.None));

        Assert.Equal(PkiErrorKind.NotFound, ex.Kind);
        Assert.False(await Custody.DeleteAsync("pkcs11:object=never-made", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_destroys_both_halves()
    {
        var signer = await Custody.GenerateAsync(KeySpec.Rsa2048, "doomed", CancellationToken.None);
        var id = Pkcs11KeyReference.Parse(signer.KeyReference).Id;

        Assert.True(await Custody.DeleteAsync(signer.KeyReference, CancellationToken.None));

        var left = await Custody.UseManagementSessionAsync("test", session =>
            Pkcs11Objects.Find(session, CKO.CKO_PRIVATE_KEY, null, id).Count + Pkcs11Objects.Find(session, CKO.CKO_PUBLIC_KEY, null, id).Count,
            CancellationToken.None);
        Assert.Equal(0, left);
        var ex = await Assert.ThrowsAsync<PkiException>(async () => await signer.SignAsync(Message, SignatureAlgorithm.RsaPkcs1Sha256, CancellationToken.None));
        Assert.Equal(PkiErrorKind.Unavailable, ex.Kind);
    }

    [Fact]
    public async Task A_reference_to_another_token_is_refused_naming_both_tokens()
    {
        var ex = await Assert.ThrowsAsync<PkiException>(async () => await Custody.OpenAsync("pkcs11:token=another-token;object=root", CancellationToken.None));

        Assert.Equal(PkiErrorKind.Malformed, ex.Kind);
        Assert.Contains("'another-token'", ex.Message);
        Assert.Contains($"configured for token '{SoftHsmToken.Label}'", ex.Message);
    }

    [Theory]
    [InlineData("pkcs11:token=pki-test")]
    [InlineData("pkcs11:object=root;id=xyz")]
    [InlineData("software:id=01ab")]
    public async Task Malformed_references_are_refused(string reference)
    {
        var ex = await Assert.ThrowsAsync<PkiException>(async () => await Custody.OpenAsync(reference, CancellationToken.None));

        Assert.Equal(PkiErrorKind.Malformed, ex.Kind);
    }

    [Fact]
    public async Task Wrong_pin_gives_a_clear_error_without_the_pin()
    {
        const string wrongPin = "wrong-pin-93017";
        await using var custody = new Pkcs11KeyCustody(SoftHsmToken.Options(SoftHsmToken.PinProbeLabel, wrongPin));

        var ex = await Assert.ThrowsAsync<PkiException>(async () => await custody.GenerateAsync(KeySpec.EcP256, "never", CancellationToken.None));

        Assert.Equal(PkiErrorKind.Unavailable, ex.Kind);
        Assert.Contains("PIN is incorrect", ex.Message);
        Assert.Contains(SoftHsmToken.PinProbeLabel, ex.Message);
        Assert.DoesNotContain(wrongPin, ex.ToString());
    }

    [Fact]
    public async Task A_second_custody_with_another_pin_for_a_token_already_logged_in_is_refused()
    {
        // The token would answer CKR_USER_ALREADY_LOGGED_IN without checking this PIN.
        const string otherPin = "other-pin-55120";
        await using var custody = new Pkcs11KeyCustody(SoftHsmToken.Options(SoftHsmToken.Label, otherPin));

        var ex = await Assert.ThrowsAsync<PkiException>(async () => await custody.ConnectAsync(CancellationToken.None));

        Assert.Contains("different PIN", ex.Message);
        Assert.DoesNotContain(otherPin, ex.ToString());
    }

    [Fact]
    public async Task Unknown_token_label_gives_a_clear_error_naming_the_tokens_present()
    {
        await using var custody = new Pkcs11KeyCustody(SoftHsmToken.Options("no-such-token"));

        var ex = await Assert.ThrowsAsync<PkiException>(async () => await custody.ConnectAsync(CancellationToken.None));

        Assert.Equal(PkiErrorKind.Unavailable, ex.Kind);
        Assert.Contains("no PKCS#11 token labelled 'no-such-token'", ex.Message);
        Assert.Contains($"'{SoftHsmToken.Label}'", ex.Message);
    }

    [Fact]
    public async Task A_library_that_is_not_a_pkcs11_module_gives_a_clear_error()
    {
        var notPkcs11 = Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.Native.so");
        var options = SoftHsmToken.Options();
        options.ModulePath = notPkcs11;
        await using var custody = new Pkcs11KeyCustody(options);

        var ex = await Assert.ThrowsAsync<PkiException>(async () => await custody.ConnectAsync(CancellationToken.None));

        Assert.Equal(PkiErrorKind.Unavailable, ex.Kind);
        Assert.Contains(notPkcs11, ex.Message);
    }

    [Fact]
    public async Task Closing_a_second_custody_on_the_same_token_leaves_the_first_logged_in()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP256, "shared-login", CancellationToken.None);
        var second = new Pkcs11KeyCustody(SoftHsmToken.Options());
        var fromSecond = await second.OpenAsync(signer.KeyReference, CancellationToken.None);
        Assert.NotNull(await fromSecond.SignAsync(Message, SignatureAlgorithm.EcdsaSha256, CancellationToken.None));

        await second.DisposeAsync();

        var ex = await Assert.ThrowsAsync<PkiException>(async () => await fromSecond.SignAsync(Message, SignatureAlgorithm.EcdsaSha256, CancellationToken.None));
        Assert.Equal(PkiErrorKind.Unavailable, ex.Kind);
        var signature = await signer.SignAsync(Message, SignatureAlgorithm.EcdsaSha256, CancellationToken.None);
        Assert.True(PublicKeys.Verify(signer.SubjectPublicKeyInfo.Span, SignatureAlgorithm.EcdsaSha256, Message, signature));
    }

    [Fact]
    public async Task Cancelled_sign_throws_before_touching_the_token()
    {
        var signer = await Custody.GenerateAsync(KeySpec.EcP256, "cancelled", CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await signer.SignAsync(Message, SignatureAlgorithm.EcdsaSha256, new CancellationToken(canceled: true)));
    }
}
