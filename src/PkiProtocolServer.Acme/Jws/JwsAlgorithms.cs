namespace PkiProtocolServer.Acme.Jws;

/// <summary>The JWS algorithms accepted for ACME requests (RFC 8555 6.2: ES256 and EdDSA recommended; RFC 7518, RFC 8037).</summary>
public static class JwsAlgorithms
{
    public const string Es256 = "ES256";
    public const string Es384 = "ES384";
    public const string Es512 = "ES512";
    public const string Rs256 = "RS256";
    public const string Ps256 = "PS256";
    public const string EdDsa = "EdDSA";

    /// <summary>Listed in badSignatureAlgorithm problems (RFC 8555 6.2 requires the list).</summary>
    public static readonly IReadOnlyList<string> Supported = [Es256, Es384, Es512, Rs256, Ps256, EdDsa];

    /// <summary>MAC algorithms accepted for External Account Binding (RFC 8555 7.3.4).</summary>
    public static readonly IReadOnlyList<string> Mac = ["HS256", "HS384", "HS512"];
}
