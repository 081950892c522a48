namespace PkiProtocolServer.Core.Errors;

/// <summary>One refused name or value: which rule refused what.</summary>
/// <param name="Rule">The role or issuer setting that refused, e.g. <c>allowed_domains</c>.</param>
/// <param name="Value">The name or value refused, e.g. <c>evil.example.net</c>.</param>
/// <param name="Detail">Human-readable explanation.</param>
public sealed record PkiSubproblem(string Rule, string Value, string Detail);

/// <summary>
/// The one typed error of the core. Front ends render it (RFC 9457, ACME problem documents);
/// its <see cref="Exception.Message"/> is safe to show to clients and never holds key material.
/// </summary>
public sealed class PkiException : Exception
{
    public PkiException(PkiErrorKind kind, string detail, IReadOnlyList<PkiSubproblem>? subproblems = null, Exception? inner = null)
        : base(detail, inner)
    {
        Kind = kind;
        Subproblems = subproblems ?? [];
    }

    public PkiErrorKind Kind { get; }

    public IReadOnlyList<PkiSubproblem> Subproblems { get; }

    public static PkiException Malformed(string detail) => new(PkiErrorKind.Malformed, detail);

    public static PkiException BadCsr(string detail) => new(PkiErrorKind.BadCsr, detail);

    public static PkiException NotFound(string detail) => new(PkiErrorKind.NotFound, detail);

    public static PkiException Conflict(string detail) => new(PkiErrorKind.Conflict, detail);

    public static PkiException Refused(IReadOnlyList<PkiSubproblem> subproblems)
    {
        var detail = subproblems.Count == 1
            ? subproblems[0].Detail
            : $"{subproblems.Count} names or values were refused: " + string.Join("; ", subproblems.Select(s => s.Detail));
        return new(PkiErrorKind.PolicyRefused, detail, subproblems);
    }
}
