using System.Text.Json;
using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Jws;

/// <summary>The protected header of an ACME JWS (RFC 8555 6.2): <c>alg</c>, <c>nonce</c>, <c>url</c>, and <c>jwk</c> or <c>kid</c>.</summary>
public sealed record JwsHeader
{
    public required string Alg { get; init; }

    public string? Nonce { get; init; }

    public string? Url { get; init; }

    /// <summary>The embedded key, parsed; null when the header has none.</summary>
    public JsonWebKey? Jwk { get; init; }

    public string? Kid { get; init; }

    internal static JwsHeader Parse(JsonElement header, string what)
    {
        string? alg = null;
        string? nonce = null;
        string? url = null;
        string? kid = null;
        JsonWebKey? jwk = null;
        foreach (var property in header.EnumerateObject())
        {
            switch (property.Name)
            {
                case "alg": alg = StringOf(property, what); break;
                case "nonce": nonce = StringOf(property, what); break;
                case "url": url = StringOf(property, what); break;
                case "kid": kid = StringOf(property, what); break;
                case "jwk": jwk = JsonWebKey.Parse(property.Value); break;
                case "b64":
                    // RFC 7797 unencoded payloads are not part of ACME.
                    throw AcmeException.Malformed($"the protected header of {what} has \"b64\"; ACME payloads are always base64url");
                case "crit":
                    throw AcmeException.Malformed($"the protected header of {what} has \"crit\" extensions this server does not understand");
                default:
                    break; // other registered parameters (typ, cty, ...) carry nothing ACME relies on
            }
        }

        if (alg is null)
        {
            throw AcmeException.Malformed($"the protected header of {what} has no \"alg\"");
        }

        return new JwsHeader { Alg = alg, Nonce = nonce, Url = url, Kid = kid, Jwk = jwk };
    }

    private static string StringOf(JsonProperty property, string what) =>
        property.Value.ValueKind == JsonValueKind.String
            ? property.Value.GetString()!
            : throw AcmeException.Malformed($"\"{property.Name}\" in the protected header of {what} must be a string");
}
