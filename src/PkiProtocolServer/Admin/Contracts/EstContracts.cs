using PkiProtocolServer.Core;
using PkiProtocolServer.Est.Enrollment;
using PkiProtocolServer.Est.Labels;
using PkiProtocolServer.Est.Users;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>Body of <c>POST /api/v1/est/labels/{label}/users</c>; every field optional.</summary>
public sealed record EstUserBody
{
    /// <summary>User name; omitted = generated (<c>device-…</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Password of at least 12 characters; omitted = generated and returned once.</summary>
    public string? Password { get; init; }

    /// <summary>Consumed by the first enrollment it authenticates. Default true: a per-device bootstrap secret.</summary>
    public bool OneTime { get; init; } = true;

    /// <summary>How long the password works (<c>24h</c>, <c>7d</c>); omitted = until used or deleted.</summary>
    public string? Ttl { get; init; }

    public TimeSpan? ParsedTtl() => Ttl is null ? null : Durations.Parse(Ttl, "ttl");
}

/// <summary>An EST user as the admin API shows it: never its hash; its password only in the answer that created it.</summary>
public sealed record EstUserView
{
    public required string Label { get; init; }

    public required string Name { get; init; }

    /// <summary>Only in the answer to the creation, and nowhere else, ever.</summary>
    public string? Password { get; init; }

    public required bool OneTime { get; init; }

    public required bool Consumed { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string CreatedBy { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public static EstUserView From(EstUser user, string? password = null) => new()
    {
        Label = LabelName(user.Label),
        Name = user.Name,
        Password = password,
        OneTime = user.OneTime,
        Consumed = user.ConsumedAt is not null,
        CreatedAt = user.CreatedAt,
        CreatedBy = user.CreatedBy,
        ExpiresAt = user.ExpiresAt,
    };

    public static string LabelName(string label) => label.Length == 0 ? "default" : label;
}

/// <summary>Body of <c>POST /api/v1/est/enrollments/{id}/reject</c>.</summary>
public sealed record EstRejectBody
{
    public string? Reason { get; init; }
}

/// <summary>An enrollment held for manual approval.</summary>
public sealed record EstEnrollmentView
{
    public required string Id { get; init; }

    public required string Label { get; init; }

    public required string Operation { get; init; }

    public required string State { get; init; }

    public required string Requester { get; init; }

    public string? CommonName { get; init; }

    public required IReadOnlyList<string> SubjectAlternativeNames { get; init; }

    /// <summary>The CSR (PEM), for an operator who wants to look closer.</summary>
    public required string Csr { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? DecidedBy { get; init; }

    public string? Reason { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? SerialNumber { get; init; }

    public static EstEnrollmentView From(PendingEnrollment e) => new()
    {
        Id = e.Id,
        Label = EstUserView.LabelName(e.Label),
        Operation = e.Operation.PathName(),
        State = e.State.ToString().ToLowerInvariant(),
        Requester = e.Requester,
        CommonName = e.CommonName,
        SubjectAlternativeNames = e.SubjectAlternativeNames,
        Csr = Core.X509.Pem.Encode("CERTIFICATE REQUEST", e.CsrDer),
        CreatedAt = e.CreatedAt,
        DecidedAt = e.DecidedAt,
        DecidedBy = e.DecidedBy,
        Reason = e.Reason,
        CompletedAt = e.CompletedAt,
        SerialNumber = e.Serial,
    };
}

/// <summary>An EST label's configuration, for operators checking what devices will meet.</summary>
public sealed record EstLabelView
{
    public required string Label { get; init; }

    public required string Path { get; init; }

    public required string Role { get; init; }

    public string? Issuer { get; init; }

    public required string Authentication { get; init; }

    public required IReadOnlyList<string> TrustAnchors { get; init; }

    public required bool ManualApproval { get; init; }

    public required bool RequireChannelBinding { get; init; }

    public required bool ServerKeyGeneration { get; init; }

    public required string CsrAttributes { get; init; }

    public static EstLabelView From(EstLabel label) => new()
    {
        Label = label.DisplayName,
        Path = label.Path(string.Empty).TrimEnd('/'),
        Role = label.Role,
        Issuer = label.IssuerRef,
        Authentication = label.Authentication.ToString(),
        TrustAnchors = label.TrustAnchors.Concat(label.Intermediates).Select(c => c.Subject).ToList(),
        ManualApproval = label.ManualApproval,
        RequireChannelBinding = label.RequireChannelBinding,
        ServerKeyGeneration = label.ServerKeyGeneration,
        CsrAttributes = label.CsrAttributesForm.ToString(),
    };
}
