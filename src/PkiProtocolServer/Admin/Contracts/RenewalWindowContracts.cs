using PkiProtocolServer.Acme.Services;
using PkiProtocolServer.Acme.Stores;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>Body of <c>PUT /api/v1/acme/renewal-windows</c>: the ARI window (RFC 9773) of a certificate, a role or an issuer.</summary>
public sealed record RenewalWindowBody
{
    /// <summary><c>certificate</c>, <c>role</c> or <c>issuer</c>.</summary>
    public string? Scope { get; init; }

    /// <summary>The serial (hex), role name, or issuer reference (id, name or <c>default</c>).</summary>
    public string? Target { get; init; }

    public DateTimeOffset? Start { get; init; }

    public DateTimeOffset? End { get; init; }

    /// <summary>A page subscribers are pointed to (RFC 9773 <c>explanationURL</c>).</summary>
    public string? ExplanationUrl { get; init; }
}

/// <summary>A renewal window as the admin API shows it.</summary>
public sealed record RenewalWindowView
{
    public required string Scope { get; init; }

    public required string Target { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public string? ExplanationUrl { get; init; }

    public required string SetBy { get; init; }

    public required DateTimeOffset SetAt { get; init; }

    public static RenewalWindowView From(RenewalWindow window) => new()
    {
        Scope = RenewalWindowService.Name(window.Scope),
        Target = window.Target,
        Start = window.Start,
        End = window.End,
        ExplanationUrl = window.ExplanationUrl,
        SetBy = window.SetBy,
        SetAt = window.SetAt,
    };
}
