using Microsoft.AspNetCore.Builder;

namespace PkiProtocolServer.Acme.Http;

/// <summary>How an ACME POST endpoint finds the key that signed the request (RFC 8555 6.2).</summary>
public enum AcmeKeyMode
{
    /// <summary>An existing account's key, named by <c>kid</c> (every request but newAccount and some revocations).</summary>
    Kid,

    /// <summary>A key embedded as <c>jwk</c> (newAccount; revokeCert signed by the certificate's key).</summary>
    Jwk,

    /// <summary>Either (revokeCert, RFC 8555 7.6).</summary>
    Either,
}

/// <summary>Endpoint metadata read by <see cref="AcmeJwsFilter"/>: the key mode of a POST endpoint, and whether it takes POST-as-GET.</summary>
/// <param name="KeyMode">How the signing key is found.</param>
/// <param name="PostAsGet">Whether an empty payload is accepted (RFC 8555 6.3); false = it is refused as malformed.</param>
/// <param name="PayloadRequired">Whether a JSON payload is required (false: only POST-as-GET is accepted).</param>
public sealed record AcmeEndpointMetadata(AcmeKeyMode KeyMode, bool PostAsGet, bool PayloadRequired);

/// <summary>Declares an endpoint's key mode; the JWS filter refuses a POST endpoint that declares none.</summary>
public static class AcmeEndpointConventions
{
    /// <summary>Signed by an account key named with <c>kid</c>.</summary>
    public static TBuilder RequireKid<TBuilder>(this TBuilder builder, bool postAsGet = false, bool payload = true)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AcmeEndpointMetadata(AcmeKeyMode.Kid, postAsGet, payload));

    /// <summary>Signed by a key embedded as <c>jwk</c>.</summary>
    public static TBuilder RequireJwk<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AcmeEndpointMetadata(AcmeKeyMode.Jwk, PostAsGet: false, PayloadRequired: true));

    /// <summary>Signed with either (revokeCert).</summary>
    public static TBuilder AllowJwkOrKid<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AcmeEndpointMetadata(AcmeKeyMode.Either, PostAsGet: false, PayloadRequired: true));
}
