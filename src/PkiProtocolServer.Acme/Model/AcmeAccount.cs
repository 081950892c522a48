using PkiProtocolServer.Acme.Errors;

namespace PkiProtocolServer.Acme.Model;

/// <summary>An ACME account (RFC 8555 7.1.2), bound to one directory and one key at a time.</summary>
public sealed record AcmeAccount
{
    public required string Id { get; init; }

    /// <summary>The directory the account was created in; its URLs and its key are scoped to it.</summary>
    public required string Directory { get; init; }

    public AccountStatus Status { get; init; } = AccountStatus.Valid;

    /// <summary>The account key as a JWK with only its required members (RFC 7638 3.2), the form it is compared in.</summary>
    public required string Jwk { get; init; }

    /// <summary>RFC 7638 SHA-256 thumbprint of <see cref="Jwk"/>, base64url: unique per directory.</summary>
    public required string KeyThumbprint { get; init; }

    public IReadOnlyList<string> Contact { get; init; } = [];

    public bool TermsOfServiceAgreed { get; init; }

    /// <summary>The External Account Binding key the account was created with (RFC 8555 7.3.4), if any.</summary>
    public string? ExternalAccountKeyId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the account was deactivated (the janitor removes it a retention period later); null while valid.</summary>
    public DateTimeOffset? DeactivatedAt { get; init; }

    /// <summary>Optimistic-concurrency version: set by the store, compared on update.</summary>
    public long Version { get; init; }

    /// <summary>RFC 8555 7.3.6: valid → deactivated, final. A deactivated account is already deactivated: no change.</summary>
    public AcmeAccount Deactivate() => Status switch
    {
        AccountStatus.Valid or AccountStatus.Deactivated => this with { Status = AccountStatus.Deactivated },
        _ => throw AcmeException.Unauthorized($"the account is {StatusNames.Wire(Status)} and cannot be deactivated"),
    };

    /// <summary><see cref="Deactivate()"/>, remembering when (the first time) for the janitor's retention.</summary>
    public AcmeAccount Deactivate(DateTimeOffset now) => Deactivate() with { DeactivatedAt = DeactivatedAt ?? now };

    /// <summary>RFC 8555 7.3.5: the account's key replaced by a new one.</summary>
    public AcmeAccount WithKey(string jwk, string thumbprint) => this with { Jwk = jwk, KeyThumbprint = thumbprint };
}
