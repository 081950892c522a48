namespace PkiProtocolServer.Acme.Errors;

/// <summary>
/// The typed error of the ACME front end: raised anywhere below an endpoint, rendered once by
/// <see cref="AcmeProblemTable"/>. Its message is safe to show to the client.
/// </summary>
public sealed class AcmeException : Exception
{
    public AcmeException(AcmeErrorType type, string detail, int? status = null, IReadOnlyList<AcmeProblem>? subproblems = null)
        : base(detail)
    {
        Type = type;
        Status = status;
        Subproblems = subproblems ?? [];
    }

    public AcmeErrorType Type { get; }

    /// <summary>A status other than the type's usual one (404 for a malformed request to an unknown object, 409 for a key in use).</summary>
    public int? Status { get; }

    public IReadOnlyList<AcmeProblem> Subproblems { get; }

    /// <summary>A URL to send back in <c>Location</c> (the account that already holds a key, RFC 8555 7.3.5).</summary>
    public string? Location { get; init; }

    /// <summary>Seconds for <c>Retry-After</c> (a rateLimited refusal says when the client may try again).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static AcmeException Malformed(string detail) => new(AcmeErrorType.Malformed, detail);

    public static AcmeException NotFound(string detail) => new(AcmeErrorType.Malformed, detail, 404);

    public static AcmeException Unauthorized(string detail) => new(AcmeErrorType.Unauthorized, detail);
}
