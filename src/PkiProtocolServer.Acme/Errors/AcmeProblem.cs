using PkiProtocolServer.Acme.Model;

namespace PkiProtocolServer.Acme.Errors;

/// <summary>
/// An ACME problem document (RFC 8555 6.7, RFC 7807): what the client gets for a failed request, and what an
/// order or challenge records as its <c>error</c>. Subproblems name one identifier each (6.7.1).
/// </summary>
public sealed record AcmeProblem
{
    public const string ContentType = "application/problem+json";

    /// <summary>The full type URN, <c>urn:ietf:params:acme:error:...</c>.</summary>
    public required string Type { get; init; }

    public required string Detail { get; init; }

    public int? Status { get; init; }

    /// <summary>The identifier a subproblem is about.</summary>
    public AcmeIdentifier? Identifier { get; init; }

    public IReadOnlyList<AcmeProblem>? Subproblems { get; init; }

    /// <summary>For badSignatureAlgorithm: the algorithms the server accepts (RFC 8555 6.2).</summary>
    public IReadOnlyList<string>? Algorithms { get; init; }
}
