namespace PkiProtocolServer.LoadGenerator.Acme;

/// <summary>An order that did not end with a certificate; <see cref="Kind"/> is what the report counts it under.</summary>
public sealed class AcmeFailure : Exception
{
    public AcmeFailure(string kind, string detail)
        : base(kind + ": " + detail)
    {
        Kind = kind;
    }

    /// <summary>The problem type without its URN prefix (<c>badNonce</c>, <c>rateLimited</c>), <c>http-NNN</c>, or a step that timed out.</summary>
    public string Kind { get; }
}
