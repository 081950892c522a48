namespace PkiProtocolServer.Est.Users;

/// <summary>
/// An HTTP Basic user of one EST label. Only a salted, slow hash of the password is kept (<see cref="PasswordHasher"/>).
/// A one-time user authenticates one enrollment: the first accepted request consumes it for that CSR.
/// </summary>
public sealed record EstUser
{
    /// <summary>The label the user belongs to (empty for the default label).</summary>
    public required string Label { get; init; }

    public required string Name { get; init; }

    /// <summary>The PHC-style hash string written by <see cref="PasswordHasher.Hash"/>.</summary>
    public required string PasswordHash { get; init; }

    public bool OneTime { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who created it, for the audit trail (<c>token:name</c>).</summary>
    public required string CreatedBy { get; init; }

    /// <summary>After this instant the password no longer authenticates; null = no expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When a one-time user was consumed; null while unused.</summary>
    public DateTimeOffset? ConsumedAt { get; init; }

    /// <summary>SHA-256 (hex) of the CSR it was consumed for: the same request may retry (or poll) with it, no other.</summary>
    public string? ConsumedFor { get; init; }
}
