using System.Text;
using PkiProtocolServer.Acme.Errors;
using PkiProtocolServer.Acme.Jws;

namespace PkiProtocolServer.Acme.Tests.Jws;

/// <summary>The flattened JSON serialization as RFC 8555 6.2 restricts it.</summary>
public sealed class FlattenedJwsTests
{
    private static string B64(string text) => TestKey.B64(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_signed_request_parses_with_its_header_payload_and_signing_input()
    {
        using var key = TestKey.Es256();
        var jws = TestJws.Sign(key, TestJws.Header(key, "https://ca/acme/new-order", "nonce1", "https://ca/acme/account/1"), new JsonObject { ["a"] = 1 });

        var parsed = FlattenedJws.Parse(Encoding.UTF8.GetBytes(jws.ToJsonString()));

        Assert.Equal("ES256", parsed.Header.Alg);
        Assert.Equal("nonce1", parsed.Header.Nonce);
        Assert.Equal("https://ca/acme/new-order", parsed.Header.Url);
        Assert.Equal("https://ca/acme/account/1", parsed.Header.Kid);
        Assert.Null(parsed.Header.Jwk);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(parsed.Payload));
        Assert.Equal(Encoding.ASCII.GetBytes(jws["protected"]!.GetValue<string>() + "." + jws["payload"]!.GetValue<string>()), parsed.SigningInput);
    }

    [Theory]
    [InlineData("{\"payload\":\"\",\"signature\":\"AA\"}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\",\"extra\":1}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\",\"header\":{\"kid\":\"x\"}}")]
    [InlineData("{\"signatures\":[{\"protected\":\"e30\",\"signature\":\"AA\"}],\"payload\":\"\"}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"e30=\",\"signature\":\"AA\"}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"e3+/\",\"signature\":\"AA\"}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"\"}")]
    [InlineData("{\"protected\":\"\",\"payload\":\"\",\"signature\":\"AA\"}")]
    [InlineData("{\"protected\":\"e30\",\"payload\":\"\",\"signature\":\"AA\",\"signature\":\"AA\"}")]
    public void Anything_but_a_strict_flattened_jws_is_malformed(string body)
    {
        Assert.Equal(AcmeErrorType.Malformed, Assert.Throws<AcmeException>(() => FlattenedJws.Parse(Encoding.UTF8.GetBytes(body))).Type);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"alg\":1}")]
    [InlineData("{\"alg\":\"ES256\",\"b64\":false}")]
    [InlineData("{\"alg\":\"ES256\",\"crit\":[\"b64\"]}")]
    [InlineData("{\"alg\":\"ES256\",\"nonce\":1}")]
    [InlineData("{\"alg\":\"ES256\",\"alg\":\"RS256\"}")]
    public void A_protected_header_without_alg_or_with_unsupported_members_is_malformed(string header)
    {
        var body = $"{{\"protected\":\"{B64(header)}\",\"payload\":\"\",\"signature\":\"AA\"}}";

        Assert.Equal(AcmeErrorType.Malformed, Assert.Throws<AcmeException>(() => FlattenedJws.Parse(Encoding.UTF8.GetBytes(body))).Type);
    }

    [Fact]
    public void Base64url_is_strict()
    {
        Assert.True(Base64UrlText.TryDecode("AQAB", out var ok));
        Assert.Equal([1, 0, 1], ok);
        Assert.False(Base64UrlText.TryDecode("AQAB=", out _));
        Assert.False(Base64UrlText.TryDecode("A+/B", out _));
        Assert.False(Base64UrlText.TryDecode("A QAB", out _));
        Assert.False(Base64UrlText.TryDecode("A", out _));
        Assert.False(Base64UrlText.TryDecode(null, out _));
    }
}
