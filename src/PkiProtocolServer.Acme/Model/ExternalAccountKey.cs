namespace PkiProtocolServer.Acme.Model;

/// <summary>
/// An External Account Binding key (RFC 8555 7.3.4): an id and an HMAC key the operator hands to a client out of
/// band. It binds exactly one account, once.
/// </summary>
public sealed record ExternalAccountKey
{
    public required string Id { get; init; }

    /// <summary>The directory whose accounts it may bind.</summary>
    public required string Directory { get; init; }

    /// <summary>The HMAC key (256 random bits). Shown once at creation; stored to verify bindings.</summary>
    public required byte[] HmacKey { get; init; }

    /// <summary>A label for the operator (who or what the key was given to).</summary>
    public string? Label { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>An unused key is refused, and dropped by the store, after this moment; null = no limit.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The account it bound; null while unused.</summary>
    public string? BoundAccountId { get; init; }

    public DateTimeOffset? BoundAt { get; init; }
}
