using PkiProtocolServer.Acme.Model;
using PkiProtocolServer.Acme.Services;

namespace PkiProtocolServer.Admin.Contracts;

/// <summary>Body of <c>POST /api/v1/acme/eab-keys</c>: which ACME directory the key binds accounts of, a label, and how long it stays usable.</summary>
public sealed record EabKeyBody
{
    /// <summary>The ACME directory (directory); <c>default</c> when omitted.</summary>
    public string? Directory { get; init; }

    public string? Label { get; init; }

    /// <summary>How long the unused key stays valid (<c>72h</c>, <c>30d</c>); omitted = until deleted.</summary>
    public string? Ttl { get; init; }
}

/// <summary>An EAB key as the admin API shows it; the HMAC key only in the answer to its creation.</summary>
public sealed record EabKeyView
{
    public required string Id { get; init; }

    public required string Directory { get; init; }

    public string? Label { get; init; }

    /// <summary>base64url HMAC key (certbot <c>--eab-hmac-key</c>, lego <c>--hmac</c>); only when just created.</summary>
    public string? HmacKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string? BoundAccount { get; init; }

    public DateTimeOffset? BoundAt { get; init; }

    public static EabKeyView From(ExternalAccountKey key, bool withSecret) => new()
    {
        Id = key.Id,
        Directory = key.Directory,
        Label = key.Label,
        HmacKey = withSecret ? ExternalAccountKeyService.EncodeHmacKey(key) : null,
        CreatedAt = key.CreatedAt,
        ExpiresAt = key.ExpiresAt,
        BoundAccount = key.BoundAccountId,
        BoundAt = key.BoundAt,
    };
}
