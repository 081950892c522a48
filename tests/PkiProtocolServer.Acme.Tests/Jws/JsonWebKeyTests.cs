using System.Text;
using System.Text.Json;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;

namespace PkiProtocolServer.Acme.Tests.Jws;

/// <summary>JWK parsing, RFC 7638 thumbprints and JWS signature verification for every accepted algorithm.</summary>
public sealed class JsonWebKeyTests
{
    private static JsonWebKey Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonWebKey.Parse(document.RootElement.Clone());
    }

    private static JsonWebKey Parse(JsonObject jwk) => Parse(jwk.ToJsonString());

    [Fact]
    public void The_thumbprint_of_the_rfc7638_example_key_is_the_rfc_value()
    {
        var key = Parse("""
            {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}
            """);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", key.Thumbprint);
    }

    public static TheoryData<string> Algorithms => ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

    private static TestKey KeyFor(string alg) => alg switch
    {
        "ES256" => TestKey.Es256(),
        "ES384" => TestKey.Es384(),
        "ES512" => TestKey.Es512(),
        "RS256" => TestKey.Rs256(),
        "PS256" => TestKey.Ps256(),
        _ => TestKey.EdDsa(),
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_signature_made_by_the_key_verifies_and_a_flipped_bit_does_not(string alg)
    {
        using var signer = KeyFor(alg);
        var key = Parse(signer.Jwk());
        var input = Encoding.ASCII.GetBytes("eyJhbGciOiJFUzI1NiJ9.e30");
        var signature = signer.Sign(input);

        Assert.True(key.Accepts(alg));
        Assert.True(key.Verify(alg, input, signature));
        signature[signature.Length / 2] ^= 0x10;
        Assert.False(key.Verify(alg, input, signature));
        Assert.Equal(signer.Thumbprint(), key.Thumbprint);
    }

    [Fact]
    public void A_key_accepts_only_the_algorithm_of_its_type_and_curve()
    {
        using var p256 = TestKey.Es256();
        using var rsa = TestKey.Rs256();
        var ec = Parse(p256.Jwk());
        var r = Parse(rsa.Jwk());

        Assert.False(ec.Accepts("ES384"));
        Assert.False(ec.Accepts("RS256"));
        Assert.False(r.Accepts("ES256"));
        Assert.False(r.Accepts("RS384"));
        Assert.False(ec.Verify("ES384", [1], new byte[96]));
    }

    [Fact]
    public void An_ecdsa_signature_in_der_form_is_refused()
    {
        using var signer = TestKey.Es256();
        var key = Parse(signer.Jwk());
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var input = Encoding.ASCII.GetBytes("x.y");
        var raw = signer.Sign(input);
        var der = PkiProtocolServer.Core.Keys.EcdsaSignatureEncoding.RawToDer(raw);

        Assert.False(key.Verify("ES256", input, der));
    }

    [Theory]
    [InlineData("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}", "badPublicKey")]
    [InlineData("{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\",\"y\":\"AA\"}", "badPublicKey")]
    [InlineData("{\"kty\":\"oct\",\"k\":\"AAAA\"}", "badPublicKey")]
    [InlineData("{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AAAA\"}", "badPublicKey")]
    [InlineData("{\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}", "badPublicKey")]
    [InlineData("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", "badPublicKey")]
    [InlineData("[]", "malformed")]
    public void Unusable_keys_are_refused(string jwk, string type)
    {
        var e = Assert.Throws<AcmeException>(() => Parse(jwk));

        Assert.Equal(AcmeProblemTable.UrnPrefix + type, AcmeProblemTable.Urn(e.Type));
    }

    [Fact]
    public void A_point_that_is_not_on_the_curve_is_refused()
    {
        using var signer = TestKey.Es256();
        var jwk = signer.Jwk();
        jwk["y"] = jwk["x"]!.GetValue<string>();

        Assert.Equal(AcmeErrorType.BadPublicKey, Assert.Throws<AcmeException>(() => Parse(jwk)).Type);
    }

    [Fact]
    public void An_rsa_key_below_2048_bits_is_refused()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = TestKey.B64(p.Modulus!), ["e"] = TestKey.B64(p.Exponent!) };

        Assert.Equal(AcmeErrorType.BadPublicKey, Assert.Throws<AcmeException>(() => Parse(jwk)).Type);
    }

    [Fact]
    public void A_jwk_with_private_members_is_refused()
    {
        using var signer = TestKey.Es256();
        var jwk = signer.Jwk();
        jwk["d"] = "AAAA";

        Assert.Equal(AcmeErrorType.BadPublicKey, Assert.Throws<AcmeException>(() => Parse(jwk)).Type);
    }

    [Fact]
    public void Extra_members_do_not_change_the_thumbprint_and_the_canonical_form_round_trips()
    {
        using var signer = TestKey.Es256();
        var jwk = signer.Jwk();
        jwk["kid"] = "ignored";
        jwk["use"] = "sig";

        var key = Parse(jwk);

        Assert.Equal(signer.Thumbprint(), key.Thumbprint);
        Assert.Equal(key.Thumbprint, JsonWebKey.FromCanonicalJson(key.CanonicalJson).Thumbprint);
    }

    [Fact]
    public void A_stored_key_is_parsed_once_and_verifies_from_many_threads_at_once()
    {
        using var signer = TestKey.Es256();
        var canonical = Parse(signer.Jwk()).CanonicalJson;
        var input = Encoding.ASCII.GetBytes("protected.payload");
        var signature = signer.Sign(input);

        var first = JsonWebKey.FromCanonicalJson(canonical);

        Assert.Same(first, JsonWebKey.FromCanonicalJson(canonical));
        var results = new bool[64];
        Parallel.For(0, results.Length, i => results[i] = JsonWebKey.FromCanonicalJson(canonical).Verify("ES256", input, signature));
        Assert.All(results, Assert.True);
        Assert.False(first.Verify("ES256", Encoding.ASCII.GetBytes("protected.other"), signature));
    }

    [Fact]
    public void The_subject_public_key_info_is_the_keys_own()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var p = ec.ExportParameters(false);
        var key = Parse(new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = TestKey.B64(p.Q.X!), ["y"] = TestKey.B64(p.Q.Y!) });

        Assert.Equal(ec.ExportSubjectPublicKeyInfo(), key.SubjectPublicKeyInfo());
    }
}
